package io.inventory.domain;

/**
 * The answer to a {@link StockRequest.Hold}: granted, or refused with the reason and the units that were available.
 * {@code reserved} says a granted hold was made a reservation at once ({@link StockRequest.Hold#atOnce()}) and
 * announced: it needs no confirm, and only a release gives it back. Keyed by orderId on the wire.
 */
public record StockReply(String orderId, String productId, long step, boolean granted, FailureReason reason,
                         long requested, long available, boolean reserved) {

    public static StockReply granted(final StockRequest.Hold hold, final long availableAfter) {
        return new StockReply(hold.orderId(), hold.productId(), hold.step(), true, null, hold.quantity(), availableAfter,
            hold.atOnce());
    }

    public static StockReply refused(final StockRequest.Hold hold, final FailureReason reason, final long available) {
        return new StockReply(hold.orderId(), hold.productId(), hold.step(), false, reason, hold.quantity(), available,
            false);
    }
}
