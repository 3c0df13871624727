package io.inventory.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the owner of one product knows of it: the item ({@code null} once deleted), the total units reserved
 * for orders and held for orders whose decision is pending, and the ids of recent commands. Each order's share is
 * an {@link OrderStock}, kept apart, so this state stays small however many orders hold the product.
 *
 * <p>Invariant, checked by {@link #checkInvariant()} and kept by {@link StockRules}:
 * {@code 0 <= reserved + held <= onHand}, so {@code available = onHand - reserved - held >= 0}.
 *
 * <p>A deleted product keeps its state (with {@code item == null}) until {@code deletedAt} is older than the
 * retention, so that a redelivered command is still recognised after the delete.
 *
 * <p>{@code reservations} and {@code holds} are only ever read: versions before the {@link OrderStock} split kept
 * every order's share here (orderId to units). A state written so counts them in {@link #reserved()} and
 * {@link #held()}; the stock task moves them out ({@link #sharesToMove()}, {@link #withSharesMoved()}) the first
 * time it touches the product, and writes them empty from then on.
 */
public record ProductState(InventoryItem item, long reservedUnits, long heldUnits, List<String> recentCommandIds,
                           long deletedAt, Map<String, Allocation> reservations, Map<String, Allocation> holds) {

    public ProductState {
        recentCommandIds = List.copyOf(recentCommandIds);
        reservations = reservations == null || reservations.isEmpty() ? Map.of() : Map.copyOf(reservations);
        holds = holds == null || holds.isEmpty() ? Map.of() : Map.copyOf(holds);
    }

    public static ProductState of(final InventoryItem item) {
        return new ProductState(item, 0L, 0L, List.of(), 0L, Map.of(), Map.of());
    }

    public boolean exists() {
        return item != null;
    }

    public long onHand() {
        return item == null ? 0L : item.onHand();
    }

    public long reserved() {
        return reservedUnits + sum(reservations);
    }

    public long held() {
        return heldUnits + sum(holds);
    }

    public long available() {
        return onHand() - reserved() - held();
    }

    public boolean hasSeen(final String commandId) {
        return recentCommandIds.contains(commandId);
    }

    public ProductState withItem(final InventoryItem newItem) {
        return new ProductState(newItem, reservedUnits, heldUnits, recentCommandIds, deletedAt, reservations, holds);
    }

    public ProductState deleted(final long at) {
        return new ProductState(null, reservedUnits, heldUnits, recentCommandIds, at, reservations, holds);
    }

    /** The same product with new totals; only for a state whose shares have been moved out. */
    ProductState withTotals(final long reserved, final long held) {
        if (hasSharesToMove()) {
            throw new IllegalStateException("the orders' shares of this product have not been moved out yet");
        }
        return new ProductState(item, reserved, held, recentCommandIds, deletedAt, Map.of(), Map.of());
    }

    /** Remembers a command id, forgetting the oldest beyond {@link Limits#REMEMBERED_EVENT_IDS}. */
    public ProductState remembering(final String commandId) {
        final List<String> ids = new ArrayList<>(recentCommandIds);
        ids.add(commandId);
        while (ids.size() > Limits.REMEMBERED_EVENT_IDS) {
            ids.remove(0);
        }
        return new ProductState(item, reservedUnits, heldUnits, ids, deletedAt, reservations, holds);
    }

    /** True for a state written before the orders' shares were kept apart, that still carries them. */
    public boolean hasSharesToMove() {
        return !reservations.isEmpty() || !holds.isEmpty();
    }

    /** The orders' shares this state still carries, by orderId (empty once moved). */
    public Map<String, OrderStock> sharesToMove() {
        final Map<String, OrderStock> shares = new TreeMap<>();
        reservations.forEach((orderId, reserved) -> shares.merge(orderId, new OrderStock(reserved, null),
            (a, b) -> new OrderStock(b.reserved(), a.held())));
        holds.forEach((orderId, held) -> shares.merge(orderId, new OrderStock(null, held),
            (a, b) -> new OrderStock(a.reserved(), b.held())));
        return Collections.unmodifiableMap(shares);
    }

    /** This state once its shares are kept apart: the same totals, no shares. */
    public ProductState withSharesMoved() {
        return new ProductState(item, reserved(), held(), recentCommandIds, deletedAt, Map.of(), Map.of());
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

    private static long sum(final Map<String, Allocation> allocations) {
        long total = 0;
        for (final Allocation allocation : allocations.values()) {
            total += allocation.quantity();
        }
        return total;
    }
}
