package io.inventory.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the owner of one product knows of it: the item ({@code null} once deleted), the total units reserved
 * for orders and held for orders whose decision is pending, and the ids of recent commands. Each order's share is
 * an {@link OrderShare}, kept apart, so this state stays small however many orders hold the product.
 *
 * <p>Invariant, checked by {@link #checkInvariant()} and kept by {@link StockRules}:
 * {@code 0 <= reserved + held <= onHand}, so {@code available = onHand - reserved - held >= 0}.
 *
 * <p>A deleted product keeps its state (with {@code item == null}) until {@code deletedAt} is older than the
 * retention, so that a redelivered command is still recognised after the delete.
 */
public record ProductState(InventoryItem item, long reservedUnits, long heldUnits, List<String> recentCommandIds,
                           long deletedAt) {

    public ProductState {
        recentCommandIds = List.copyOf(recentCommandIds);
    }

    public static ProductState of(final InventoryItem item) {
        return new ProductState(item, 0L, 0L, List.of(), 0L);
    }

    public boolean exists() {
        return item != null;
    }

    public long onHand() {
        return item == null ? 0L : item.onHand();
    }

    public long reserved() {
        return reservedUnits;
    }

    public long held() {
        return heldUnits;
    }

    public long available() {
        return onHand() - reserved() - held();
    }

    public boolean hasSeen(final String commandId) {
        return recentCommandIds.contains(commandId);
    }

    public ProductState withItem(final InventoryItem newItem) {
        return new ProductState(newItem, reservedUnits, heldUnits, recentCommandIds, deletedAt);
    }

    public ProductState deleted(final long at) {
        return new ProductState(null, reservedUnits, heldUnits, recentCommandIds, at);
    }

    /** The same product with new totals. */
    ProductState withTotals(final long reserved, final long held) {
        return new ProductState(item, reserved, held, recentCommandIds, deletedAt);
    }

    /** Remembers a command id, forgetting the oldest beyond {@link Limits#REMEMBERED_EVENT_IDS}. */
    public ProductState remembering(final String commandId) {
        final List<String> ids = new ArrayList<>(recentCommandIds);
        ids.add(commandId);
        while (ids.size() > Limits.REMEMBERED_EVENT_IDS) {
            ids.remove(0);
        }
        return new ProductState(item, reservedUnits, heldUnits, ids, deletedAt);
    }

    /** Throws when the stock invariant does not hold; a last line of defence before a state is written. */
    public ProductState checkInvariant() {
        final long allocated = reserved() + held();
        if (reserved() < 0 || held() < 0 || allocated > onHand()) {
            throw new IllegalStateException("stock invariant broken: onHand=" + onHand() + " reserved=" + reserved()
                + " held=" + held());
        }
        return this;
    }
}
