package io.inventory.domain;

/**
 * An order's share of one product: the units reserved for it and the units held for its pending decision, each
 * with the order's step that last changed it, or {@code null} when it has none. The stock task keeps one per
 * (product, order) pair that has any, beside the product's totals in {@link ProductState}, so a request costs the
 * same for a product with many open orders as for one with few.
 */
public record OrderShare(Allocation reserved, Allocation held) {

    public static final OrderShare NONE = new OrderShare(null, null);

    public boolean isEmpty() {
        return reserved == null && held == null;
    }

    public long reservedUnits() {
        return reserved == null ? 0L : reserved.quantity();
    }

    public long heldUnits() {
        return held == null ? 0L : held.quantity();
    }

    OrderShare withReserved(final Allocation newReserved) {
        return new OrderShare(newReserved, held);
    }

    OrderShare withHeld(final Allocation newHeld) {
        return new OrderShare(reserved, newHeld);
    }
}
