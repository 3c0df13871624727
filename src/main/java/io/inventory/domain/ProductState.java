package io.inventory.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the owner of one product knows: the item ({@code null} once deleted), the units reserved for
 * orders, the units held for orders whose decision is pending, and the ids of recent commands.
 *
 * <p>Invariant, checked by {@link #checkInvariant()} and kept by {@link StockRules}:
 * {@code 0 <= reserved + held <= onHand}, so {@code available = onHand - reserved - held >= 0}.
 *
 * <p>A deleted product keeps its state (with {@code item == null}) until {@code deletedAt} is older than the
 * retention, so that a redelivered command is still recognised after the delete.
 */
public record ProductState(InventoryItem item, Map<String, Allocation> reservations, Map<String, Allocation> holds,
                           List<String> recentCommandIds, long deletedAt) {

    public ProductState {
        reservations = Collections.unmodifiableSortedMap(new TreeMap<>(reservations));
        holds = Collections.unmodifiableSortedMap(new TreeMap<>(holds));
        recentCommandIds = List.copyOf(recentCommandIds);
    }

    public static ProductState of(final InventoryItem item) {
        return new ProductState(item, Map.of(), Map.of(), List.of(), 0L);
    }

    public boolean exists() {
        return item != null;
    }

    public long onHand() {
        return item == null ? 0L : item.onHand();
    }

    public long reserved() {
        return sum(reservations);
    }

    public long held() {
        return sum(holds);
    }

    public long available() {
        return onHand() - reserved() - held();
    }

    public boolean hasSeen(final String commandId) {
        return recentCommandIds.contains(commandId);
    }

    public ProductState withItem(final InventoryItem newItem) {
        return new ProductState(newItem, reservations, holds, recentCommandIds, deletedAt);
    }

    public ProductState deleted(final long at) {
        return new ProductState(null, reservations, holds, recentCommandIds, at);
    }

    public ProductState withReservations(final Map<String, Allocation> newReservations,
                                         final Map<String, Allocation> newHolds) {
        return new ProductState(item, newReservations, newHolds, recentCommandIds, deletedAt);
    }

    /** Remembers a command id, forgetting the oldest beyond {@link Limits#REMEMBERED_EVENT_IDS}. */
    public ProductState remembering(final String commandId) {
        final List<String> ids = new ArrayList<>(recentCommandIds);
        ids.add(commandId);
        while (ids.size() > Limits.REMEMBERED_EVENT_IDS) {
            ids.remove(0);
        }
        return new ProductState(item, reservations, holds, ids, deletedAt);
    }

    /** Throws when the stock invariant does not hold; a last line of defence before a state is written. */
    public ProductState checkInvariant() {
        final long allocated = reserved() + held();
        if (allocated < 0 || allocated > onHand()) {
            throw new IllegalStateException("stock invariant broken: onHand=" + onHand() + " reserved=" + reserved()
                + " held=" + held());
        }
        return this;
    }

    private static long sum(final Map<String, Allocation> allocations) {
        long total = 0;
        for (final Allocation allocation : allocations.values()) {
            total += allocation.quantity();
        }
        return total;
    }
}
