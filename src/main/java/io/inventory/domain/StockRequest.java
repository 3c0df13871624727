package io.inventory.domain;

import java.util.function.Function;

/**
 * What the order side asks of the owner of one product's stock. Keyed by productId on the wire.
 * {@code step} is the order's step that sent it; see {@link Allocation}.
 */
public sealed interface StockRequest {

    String orderId();

    String productId();

    long step();

    Cause cause();

    /**
     * Set {@code quantity} units aside for the order if they are available; answered with a {@link StockReply}.
     * With {@code atOnce} (a step that asks one product only, so nothing else can fail it) a granted hold is a
     * reservation straight away: the owner announces {@code inventory.reserved} for {@code userId} in the same
     * transaction as its answer, and no {@link Confirm} follows. That saves an order two of its five hops.
     */
    record Hold(String orderId, String productId, long step, long quantity, boolean atOnce, String userId,
                Cause cause) implements StockRequest {
    }

    /** Turn the order's hold into a reservation: emits {@code inventory.reserved}. */
    record Confirm(String orderId, String productId, long step, String userId, Cause cause) implements StockRequest {
    }

    /**
     * Give the order's hold of {@code step} back, silently: nothing was ever announced for it. {@code quantity} is
     * what the step asked of the product: when the step was abandoned ({@code DECISION_TIMEOUT}) and its hold
     * reached the owner at once and late, the owner gives back the reservation it made (see
     * {@link ReleaseReason#DECISION_TIMEOUT}).
     */
    record Abort(String orderId, String productId, long step, long quantity, Cause cause) implements StockRequest {
    }

    /**
     * Give back {@code quantity} reserved units, or everything the order holds when {@code quantity} is {@link #ALL}:
     * emits {@code inventory.released} with what was actually released, and why.
     */
    record Release(String orderId, String productId, long step, long quantity, ReleaseReason reason, Cause cause)
        implements StockRequest {
        public static final long ALL = -1L;
    }

    /**
     * Ship {@code quantity} reserved units: {@code onHand} and the order's reservation both fall by it; emits
     * {@code inventory.fulfilled} with the new {@code onHand}.
     */
    record Fulfil(String orderId, String productId, long step, long quantity, Cause cause) implements StockRequest {
    }

    /** The one function of the request's case applied to it; see {@link OrderEvent#match}. */
    default <R> R match(final Function<Hold, R> onHold, final Function<Confirm, R> onConfirm,
                        final Function<Abort, R> onAbort, final Function<Release, R> onRelease,
                        final Function<Fulfil, R> onFulfil) {
        return Case.match(this, new Case<>(Hold.class, onHold), new Case<>(Confirm.class, onConfirm),
            new Case<>(Abort.class, onAbort), new Case<>(Release.class, onRelease), new Case<>(Fulfil.class, onFulfil));
    }
}
