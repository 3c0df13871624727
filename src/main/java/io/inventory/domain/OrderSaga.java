package io.inventory.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The order side of the reservation saga: all-or-nothing reservation of an order whose lines belong to
 * products owned elsewhere. Pure functions of (state, input); the caller owns the store and applies all inputs
 * for one order one at a time.
 *
 * <p>A create or an update that needs stock sends one {@link StockRequest.Hold} per product and waits. When every
 * product has answered it decides: all granted, it confirms each hold (each product owner then emits
 * {@code inventory.reserved}); any refused, it aborts the granted holds and emits the failure events. No
 * reservation is ever announced and then taken back. Updates that arrive while a decision is pending wait for it;
 * a cancel that arrives meanwhile turns the decision into a cancel.
 *
 * <p>A step that asks a single product has nothing to decide: its hold is sent {@code atOnce}, the product owner
 * reserves and announces it in its answer, and the saga only records it (a cancel that arrived meanwhile then
 * releases it, as a cancel after the decision would).
 *
 * <p>The lifecycle closes here too: a fulfilment is checked against what the order has reserved (all or nothing) and sent
 * as one {@link StockRequest.Fulfil} per product, with no hold phase; {@link #expire} releases a reservation that
 * outlived {@code RESERVATION_TTL}, and {@link #abandon} ends a decision whose answers did not come in time
 * ({@link Deadlines}). {@code now} is the record's timestamp; {@code wallNow} the wall clock, which the
 * reservation's, the decision's and the retention's clocks run on ({@link OrderState#updatedAt()} is wall clock).
 */
public final class OrderSaga {

    private OrderSaga() {
    }

    /** Handles an inbound order event, with the record's time as the wall clock. */
    public static OrderOutcome onEvent(final OrderState state, final OrderEvent event, final long now) {
        return onEvent(state, event, now, now);
    }

    /** Handles an inbound order event. {@code state} is {@code null} for an order never seen. */
    public static OrderOutcome onEvent(final OrderState state, final OrderEvent event, final long now,
                                       final long wallNow) {
        final OrderState current = state == null ? OrderState.unknown(event.orderId(), now) : state;
        if (current.hasSeen(event.eventId())) {
            return new OrderOutcome(null, List.of(), List.of());
        }
        final Effects effects = new Effects(wallNow);
        OrderState next = current.remembering(event.eventId());
        if (next.pending() != null) {
            next = whilePending(next, event);
        } else {
            next = drain(dispatch(next, event, effects), effects);
        }
        return effects.outcome(next.touched(wallNow));
    }

    /** Handles a product owner's answer to a hold, with the record's time as the wall clock. */
    public static OrderOutcome onReply(final OrderState state, final StockReply reply, final long now) {
        return onReply(state, reply, now, now);
    }

    /**
     * Handles a product owner's answer to a hold. An answer for a step that is no longer pending (a redelivery, or
     * a step abandoned after {@code DECISION_TIMEOUT}) changes nothing: an abandoned step's holds were aborted when
     * it was abandoned, and the abort reaches each owner after the hold.
     */
    public static OrderOutcome onReply(final OrderState state, final StockReply reply, final long now,
                                       final long wallNow) {
        if (state == null || state.pending() == null) {
            return new OrderOutcome(null, List.of(), List.of());
        }
        final PendingStep pending = state.pending();
        if (reply.step() != pending.step() || !pending.increases().containsKey(reply.productId())
            || pending.replies().containsKey(reply.productId())) {
            return new OrderOutcome(null, List.of(), List.of());
        }
        final PendingStep answered = pending.withReply(reply);
        if (!answered.isAnswered()) {
            return new OrderOutcome(state.withStep(state.step(), answered).touched(wallNow), List.of(), List.of());
        }
        final Effects effects = new Effects(wallNow);
        final OrderState decided = decide(state.withStep(state.step(), null), answered, effects);
        return effects.outcome(drain(decided, effects).touched(wallNow));
    }

    /**
     * Releases a reservation that outlived {@code RESERVATION_TTL}: one {@code inventory.released} per product
     * with reason {@code EXPIRED}, caused by the order event that last changed what the order has reserved; the order
     * becomes {@code EXPIRED}. Call when {@link Deadlines#next} says an expiry is due; anything else is unchanged.
     */
    public static OrderOutcome expire(final OrderState state, final long wallNow) {
        // A reserved order holds at least one line (creates and updates name one or more, a fulfilment that ships
        // the last unit makes the order FULFILLED), and every way into RESERVED records reservedBy.
        if (state == null || state.pending() != null || state.status() != OrderStatus.RESERVED) {
            return new OrderOutcome(null, List.of(), List.of());
        }
        final Effects effects = new Effects(wallNow);
        final OrderState released = releaseAll(state, state.reservedBy(), ReleaseReason.EXPIRED, effects)
            .with(OrderStatus.EXPIRED, Map.of());
        return effects.outcome(released.touched(wallNow));
    }

    /**
     * Abandons the pending step after {@code DECISION_TIMEOUT}: each product that did not answer is taken as a
     * refusal with {@code DECISION_TIMEOUT}, and the step is decided as any other (granted holds aborted, failures
     * published; a cancel that arrived meanwhile still wins). The unanswered products are sent an abort too, in
     * case their hold was only late: it reaches the owner after the hold, and undoes it.
     */
    public static OrderOutcome abandon(final OrderState state, final long wallNow) {
        if (state == null || state.pending() == null) {
            return new OrderOutcome(null, List.of(), List.of());
        }
        final PendingStep pending = state.pending();
        final Effects effects = new Effects(wallNow);
        PendingStep answered = pending;
        for (final Map.Entry<String, Long> increase : pending.increases().entrySet()) {
            if (!pending.replies().containsKey(increase.getKey())) {
                effects.requests.add(new StockRequest.Abort(state.orderId(), increase.getKey(), pending.step(),
                    increase.getValue(), pending.cause()));
                answered = answered.withReply(new StockReply(state.orderId(), increase.getKey(), pending.step(), false,
                    FailureReason.DECISION_TIMEOUT, increase.getValue(), 0, false));
            }
        }
        final OrderState decided = decide(state.withStep(state.step(), null), answered, effects);
        return effects.outcome(drain(decided, effects).touched(wallNow));
    }

    private static OrderState whilePending(final OrderState state, final OrderEvent event) {
        return event.match(
            placed -> state, // a second create of a known order
            changed -> deferred(state, changed),
            cancel -> state.pending().cancelledBy() != null
                ? state
                : state.withStep(state.step(), state.pending().cancelledBy(cancel.cause())),
            fulfilled -> deferred(state, fulfilled));
    }

    /** The state with {@code event} waiting, after those already waiting, for the pending decision. */
    private static OrderState deferred(final OrderState state, final OrderEvent event) {
        final List<OrderEvent> deferred = new ArrayList<>(state.deferred());
        deferred.add(event);
        return state.withDeferred(deferred);
    }

    /** Runs the updates and fulfilments that waited for a decision, until one of them waits in turn. */
    private static OrderState drain(final OrderState state, final Effects effects) {
        OrderState next = state;
        while (next.pending() == null && !next.deferred().isEmpty()) {
            final List<OrderEvent> rest = new ArrayList<>(next.deferred());
            final OrderEvent first = rest.remove(0);
            next = dispatch(next.withDeferred(rest), first, effects);
        }
        return next;
    }

    private static OrderState dispatch(final OrderState state, final OrderEvent event, final Effects effects) {
        return event.match(placed -> place(state, placed, effects), changed -> change(state, changed, effects),
            cancel -> cancel(state, cancel, effects), fulfilled -> fulfil(state, fulfilled, effects));
    }

    private static OrderState place(final OrderState state, final OrderEvent.Placed placed, final Effects effects) {
        if (state.placed()) {
            return state;
        }
        final OrderState next = state.placed(placed.userId());
        if (next.status() == OrderStatus.CANCELLED) {
            effects.failAll(placed.orderId(), products(placed.lines(), placed.invalidLines()),
                FailureReason.ORDER_CANCELLED, placed.cause());
            return next;
        }
        if (!placed.invalidLines().isEmpty()) {
            effects.failAll(placed.orderId(), placed.invalidLines(), FailureReason.INVALID_QUANTITY, placed.cause());
            return next.with(OrderStatus.FAILED, Map.of());
        }
        return hold(next, PendingStep.Kind.CREATE, placed.lines(), placed.lines(), placed.cause(), effects);
    }

    private static OrderState change(final OrderState state, final OrderEvent.Changed changed, final Effects effects) {
        if (!state.fulfilled().isEmpty()) {
            // Its lines no longer describe what it has reserved, whatever its status since.
            effects.failAll(changed.orderId(), products(changed.lines(), changed.invalidLines()),
                FailureReason.ORDER_FULFILLED, changed.cause());
            return state;
        }
        if (state.status() == OrderStatus.CANCELLED) {
            effects.failAll(changed.orderId(), products(changed.lines(), changed.invalidLines()),
                FailureReason.ORDER_CANCELLED, changed.cause());
            return state;
        }
        if (!state.placed()) {
            effects.failAll(changed.orderId(), products(changed.lines(), changed.invalidLines()),
                FailureReason.UNKNOWN_ORDER, changed.cause());
            return state;
        }
        if (!changed.invalidLines().isEmpty()) {
            effects.failAll(changed.orderId(), changed.invalidLines(), FailureReason.INVALID_QUANTITY,
                changed.cause());
            return state;
        }
        final Map<String, Long> increases = new TreeMap<>();
        changed.lines().forEach((product, quantity) -> {
            final long delta = quantity - state.reserved().getOrDefault(product, 0L);
            if (delta > 0) {
                increases.put(product, delta);
            }
        });
        if (!increases.isEmpty()) {
            return hold(state, PendingStep.Kind.UPDATE, changed.lines(), increases, changed.cause(), effects);
        }
        final Map<String, Long> decreases = decreases(state.reserved(), changed.lines());
        if (decreases.isEmpty()) {
            return state;
        }
        final long step = state.step() + 1;
        decreases.forEach((product, quantity) -> effects.requests.add(new StockRequest.Release(state.orderId(),
            product, step, quantity, ReleaseReason.UPDATED, changed.cause())));
        return state.withStep(step, null).with(OrderStatus.RESERVED, changed.lines())
            .reservedFrom(effects.wallNow, changed.cause());
    }

    private static OrderState cancel(final OrderState state, final OrderEvent.Cancelled cancel, final Effects effects) {
        if (state.status() == OrderStatus.CANCELLED || state.status() == OrderStatus.FULFILLED
            || state.status() == OrderStatus.EXPIRED) {
            return state;
        }
        return releaseAll(state, cancel.cause(), ReleaseReason.CANCELLED, effects)
            .with(OrderStatus.CANCELLED, Map.of());
    }

    /**
     * Ships what the fulfilment names (everything reserved, when it names nothing), all or nothing: a product asked
     * more than the order has reserved of it fails the whole fulfilment with {@code EXCEEDS_RESERVATION}.
     */
    private static OrderState fulfil(final OrderState state, final OrderEvent.Fulfilled fulfilment,
                                     final Effects effects) {
        final FulfilmentFailureReason refusal = fulfilmentRefusal(state);
        if (refusal != null) {
            final List<String> products = fulfilment.lines().isEmpty()
                ? state.lastReserved()
                : List.copyOf(fulfilment.lines().keySet());
            if (products.isEmpty()) {
                effects.emit(new InventoryEvent.FulfilmentFailed(null, state.orderId(), refusal, null, null),
                    fulfilment.cause());
            }
            for (final String product : products) {
                effects.emit(new InventoryEvent.FulfilmentFailed(product, state.orderId(), refusal, null, null),
                    fulfilment.cause());
            }
            return state;
        }
        final Map<String, Long> shipped = fulfilment.lines().isEmpty() ? state.reserved() : fulfilment.lines();
        boolean exceeds = false;
        for (final Map.Entry<String, Long> line : shipped.entrySet()) {
            final long reserved = state.reserved().getOrDefault(line.getKey(), 0L);
            if (line.getValue() > reserved) {
                exceeds = true;
                effects.emit(new InventoryEvent.FulfilmentFailed(line.getKey(), state.orderId(),
                    FulfilmentFailureReason.EXCEEDS_RESERVATION, line.getValue(), reserved), fulfilment.cause());
            }
        }
        if (exceeds) {
            return state;
        }
        final long step = state.step() + 1;
        final Map<String, Long> left = new TreeMap<>(state.reserved());
        final Map<String, Long> fulfilled = new TreeMap<>(state.fulfilled());
        shipped.forEach((product, quantity) -> {
            effects.requests.add(new StockRequest.Fulfil(state.orderId(), product, step, quantity,
                fulfilment.cause()));
            left.merge(product, -quantity, Long::sum);
            left.remove(product, 0L);
            fulfilled.merge(product, quantity, Long::sum);
        });
        final OrderState next = state.withStep(step, null).withFulfilled(fulfilled);
        return left.isEmpty()
            ? next.with(OrderStatus.FULFILLED, Map.of())
            : next.with(OrderStatus.RESERVED, left).reservedFrom(effects.wallNow, fulfilment.cause());
    }

    /** Why a fulfilment of the order is refused whatever it names, or {@code null} for a reserved order. */
    private static FulfilmentFailureReason fulfilmentRefusal(final OrderState state) {
        if (!state.placed()) {
            return state.status() == OrderStatus.CANCELLED
                ? FulfilmentFailureReason.ORDER_CANCELLED
                : FulfilmentFailureReason.UNKNOWN_ORDER;
        }
        return switch (state.status()) {
            case RESERVED -> null;
            case NEW, FAILED -> FulfilmentFailureReason.UNKNOWN_ORDER;
            case CANCELLED -> FulfilmentFailureReason.ORDER_CANCELLED;
            case FULFILLED -> FulfilmentFailureReason.ORDER_FULFILLED;
            case EXPIRED -> FulfilmentFailureReason.RESERVATION_EXPIRED;
        };
    }

    private static OrderState hold(final OrderState state, final PendingStep.Kind kind, final Map<String, Long> target,
                                   final Map<String, Long> increases, final Cause cause, final Effects effects) {
        final long step = state.step() + 1;
        final boolean atOnce = increases.size() == 1;
        increases.forEach((product, quantity) -> effects.requests.add(
            new StockRequest.Hold(state.orderId(), product, step, quantity, atOnce, state.userId(), cause)));
        return state.withStep(step, new PendingStep(kind, step, target, increases, Map.of(), cause, null,
            effects.wallNow));
    }

    private static OrderState decide(final OrderState state, final PendingStep step, final Effects effects) {
        final String orderId = state.orderId();
        final List<StockReply> refused = step.replies().values().stream().filter(reply -> !reply.granted()).toList();
        if (step.cancelledBy() == null && refused.isEmpty()) {
            return succeed(state, step, effects);
        }
        if (refused.isEmpty() && step.replies().values().stream().allMatch(StockReply::reserved)) {
            // A one-product step reserved at once was announced, so it succeeded: the cancel that arrived meanwhile
            // is applied after it, exactly as if it had come after the decision (an update's decreases are its own).
            return releaseAll(succeed(state, step, effects), step.cancelledBy(), ReleaseReason.CANCELLED, effects)
                .with(OrderStatus.CANCELLED, Map.of());
        }
        // Only a one-product step reserves at once, and its only reply is not a refusal: a granted reply here is a
        // hold that waits for its confirm.
        step.replies().values().stream().filter(StockReply::granted)
            .forEach(reply -> effects.requests.add(new StockRequest.Abort(orderId, reply.productId(), step.step(),
                step.increases().get(reply.productId()), step.cause())));
        if (step.cancelledBy() != null) {
            // Nothing of the step was announced (only a one-product step reserves at once, handled above): every
            // product it asked fails, and the cancel releases what the order had reserved before it.
            effects.failAll(orderId, step.increases().keySet(), FailureReason.ORDER_CANCELLED, step.cause());
            return releaseAll(state, step.cancelledBy(), ReleaseReason.CANCELLED, effects)
                .with(OrderStatus.CANCELLED, Map.of());
        }
        // Refused: nothing was reserved at once, as a hold sent at once is its step's only answer, here a refusal.
        for (final StockReply reply : refused) {
            if (reply.reason() == FailureReason.INSUFFICIENT_STOCK) {
                effects.emit(new InventoryEvent.Insufficient(reply.productId(), reply.requested(), reply.available(),
                    orderId), step.cause());
            }
            effects.emit(new InventoryEvent.ReservationFailed(reply.productId(), reply.reason(), orderId),
                step.cause());
        }
        return step.kind() == PendingStep.Kind.CREATE ? state.with(OrderStatus.FAILED, Map.of()) : state;
    }

    /** All granted: confirm what was not reserved at once, release the update's decreases, hold the new lines. */
    private static OrderState succeed(final OrderState state, final PendingStep step, final Effects effects) {
        final String orderId = state.orderId();
        step.replies().values().stream().filter(reply -> !reply.reserved()).forEach(reply -> effects.requests.add(
            new StockRequest.Confirm(orderId, reply.productId(), step.step(), state.userId(), step.cause())));
        decreases(state.reserved(), step.target()).forEach((product, quantity) -> effects.requests.add(
            new StockRequest.Release(orderId, product, step.step(), quantity, ReleaseReason.UPDATED, step.cause())));
        return state.with(OrderStatus.RESERVED, step.target()).reservedFrom(effects.wallNow, step.cause());
    }

    private static OrderState releaseAll(final OrderState state, final Cause cause, final ReleaseReason reason,
                                         final Effects effects) {
        if (state.reserved().isEmpty()) {
            return state;
        }
        final long step = state.step() + 1;
        state.reserved().keySet().forEach(product -> effects.requests.add(
            new StockRequest.Release(state.orderId(), product, step, StockRequest.Release.ALL, reason, cause)));
        return state.withStep(step, null);
    }

    private static Map<String, Long> decreases(final Map<String, Long> reserved, final Map<String, Long> target) {
        final Map<String, Long> decreases = new TreeMap<>();
        reserved.forEach((product, quantity) -> {
            final long delta = quantity - target.getOrDefault(product, 0L);
            if (delta > 0) {
                decreases.put(product, delta);
            }
        });
        return decreases;
    }

    private static TreeSet<String> products(final Map<String, Long> lines, final List<String> invalidLines) {
        final TreeSet<String> products = new TreeSet<>(lines.keySet());
        products.addAll(invalidLines);
        return products;
    }

    /** The requests and events one input produces, in the order they are produced. */
    private static final class Effects {
        private final List<StockRequest> requests = new ArrayList<>();
        private final List<Emitted> events = new ArrayList<>();
        /** The wall clock at which the input is applied. */
        private final long wallNow;

        Effects(final long wallNow) {
            this.wallNow = wallNow;
        }

        void emit(final InventoryEvent event, final Cause cause) {
            events.add(new Emitted(event, cause));
        }

        void failAll(final String orderId, final Iterable<String> products, final FailureReason reason,
                     final Cause cause) {
            for (final String product : products) {
                emit(new InventoryEvent.ReservationFailed(product, reason, orderId), cause);
            }
        }

        OrderOutcome outcome(final OrderState state) {
            return new OrderOutcome(state, requests, events);
        }
    }
}
