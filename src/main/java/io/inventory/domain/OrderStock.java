package io.inventory.domain;

/**
 * What one order has of one product: the units reserved for it and the units held for its pending decision, each
 * with the order's step that last changed it, or {@code null} when it has none. The stock task keeps one per
 * (product, order) pair that has any, beside the product's totals in {@link ProductState}, so a request costs the
 * same for a product with many open orders as for one with few.
 */
public record OrderStock(Allocation reserved, Allocation held) {

    public static final OrderStock NONE = new OrderStock(null, null);

    public boolean isEmpty() {
        return reserved == null && held == null;
    }

    public long reservedUnits() {
        return reserved == null ? 0L : reserved.quantity();
    }

    public long heldUnits() {
        return held == null ? 0L : held.quantity();
    }

    OrderStock withReserved(final Allocation newReserved) {
        return new OrderStock(newReserved, held);
    }

    OrderStock withHeld(final Allocation newHeld) {
        return new OrderStock(reserved, newHeld);
    }
}
