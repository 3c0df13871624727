package io.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle rules without Kafka: fulfilment and expiry on the order side ({@link OrderSaga}), their clocks
 * ({@link Deadlines}), and fulfil / late-abort requests on the stock side ({@link StockRules}). The cases a
 * {@code TopologyTestDriver} cannot reach, because it settles every input before the next, are here: inputs that
 * arrive while a decision is pending, and answers that come after it was abandoned.
 */
class LifecycleRulesTest {

    private static final String ORDER = "o1";
    private static final String USER = "user-1";
    private static final long NOW = 1_761_819_330_000L;
    private static final Deadlines DEADLINES = new Deadlines(Optional.of(Duration.ofMinutes(10)),
        Duration.ofSeconds(30), Duration.ofDays(7));

    private static Cause cause(final String eventId) {
        return Cause.of(eventId, null, USER);
    }

    private static OrderEvent.Placed placed(final String eventId, final Map<String, Long> lines) {
        return new OrderEvent.Placed(eventId, ORDER, USER, lines, List.of(), cause(eventId));
    }

    private static OrderEvent.Changed changed(final String eventId, final Map<String, Long> lines) {
        return new OrderEvent.Changed(eventId, ORDER, USER, lines, List.of(), cause(eventId));
    }

    private static OrderEvent.Cancelled cancelled(final String eventId) {
        return new OrderEvent.Cancelled(eventId, ORDER, USER, null, cause(eventId));
    }

    private static OrderEvent.Fulfilled fulfilled(final String eventId, final Map<String, Long> lines) {
        return new OrderEvent.Fulfilled(eventId, ORDER, null, lines, cause(eventId));
    }

    /** Answers every hold of {@code outcome} as the owner would (granted), at {@code at}. */
    private static OrderOutcome grantAll(final OrderOutcome outcome, final long at) {
        OrderState state = outcome.state();
        OrderOutcome last = outcome;
        for (final StockRequest request : outcome.requests()) {
            if (request instanceof StockRequest.Hold hold) {
                last = OrderSaga.onReply(state, StockReply.granted(hold, 100), at, at);
                state = last.state();
            }
        }
        return last;
    }

    private static OrderState reserved(final Map<String, Long> lines) {
        return grantAll(OrderSaga.onEvent(null, placed("e1", lines), NOW, NOW), NOW).state();
    }

    @Nested
    class Fulfil {

        @Test
        void shouldSendOneFulfilPerProductAndSettleWhenNothingIsLeft() {
            final OrderState state = reserved(Map.of("p1", 3L, "p2", 1L));

            final OrderOutcome outcome = OrderSaga.onEvent(state, fulfilled("f1", Map.of()), NOW, NOW + 5);

            assertThat(outcome.requests()).containsExactly(
                new StockRequest.Fulfil(ORDER, "p1", state.step() + 1, 3, cause("f1")),
                new StockRequest.Fulfil(ORDER, "p2", state.step() + 1, 1, cause("f1")));
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.FULFILLED);
            assertThat(outcome.state().reserved()).isEmpty();
            assertThat(outcome.state().lastReserved()).containsExactly("p1", "p2");
            assertThat(outcome.state().isSettled()).isTrue();
            assertThat(DEADLINES.next(outcome.state())).as("nothing left to expire: forgotten after the retention")
                .contains(new Deadlines.Due(Deadlines.Due.Kind.PURGE, NOW + 5 + Duration.ofDays(7).toMillis()));
        }

        @Test
        void shouldWaitForAPendingDecisionThenApplyTheFulfilmentAgainstIt() {
            final OrderState state = reserved(Map.of("p1", 2L));
            final OrderOutcome asked = OrderSaga.onEvent(state, changed("u1", Map.of("p1", 2L, "p2", 4L)), NOW, NOW);
            final OrderOutcome deferred = OrderSaga.onEvent(asked.state(), fulfilled("f1", Map.of("p2", 4L)), NOW,
                NOW);
            assertThat(deferred.requests()).isEmpty();
            assertThat(deferred.events()).as("a fulfilment of p2, not yet held, waits rather than fails").isEmpty();

            final StockRequest.Hold hold = (StockRequest.Hold) asked.requests().get(0);
            final OrderOutcome decided = OrderSaga.onReply(deferred.state(), StockReply.granted(hold, 10), NOW,
                NOW);

            assertThat(decided.requests()).containsExactly(
                new StockRequest.Fulfil(ORDER, "p2", decided.state().step(), 4, cause("f1")));
            assertThat(decided.state().reserved()).containsExactly(Map.entry("p1", 2L));
            assertThat(decided.state().fulfilled()).containsExactly(Map.entry("p2", 4L));
        }

        @Test
        void shouldRefuseADeferredFulfilmentWhenTheDecisionWasACancel() {
            final OrderOutcome asked = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L, "p2", 1L)), NOW, NOW);
            OrderState state = OrderSaga.onEvent(asked.state(), cancelled("c1"), NOW, NOW).state();
            state = OrderSaga.onEvent(state, fulfilled("f1", Map.of()), NOW, NOW).state();

            final OrderOutcome decided = grantAll(new OrderOutcome(state, asked.requests(), List.of()), NOW);

            assertThat(decided.events()).contains(new Emitted(new InventoryEvent.FulfilmentFailed(null, ORDER,
                FulfilmentFailureReason.ORDER_CANCELLED, null, null), cause("f1")));
            assertThat(decided.state().status()).isEqualTo(OrderStatus.CANCELLED);
        }

        @Test
        void shouldRestartTheReservationClockOnAPartialFulfilmentOnly() {
            final OrderState state = reserved(Map.of("p1", 3L));
            final OrderState partly = OrderSaga.onEvent(state, fulfilled("f1", Map.of("p1", 1L)), NOW, NOW + 60_000)
                .state();
            final OrderState refused = OrderSaga.onEvent(partly, fulfilled("f2", Map.of("p1", 9L)), NOW,
                NOW + 120_000).state();

            assertThat(DEADLINES.next(state)).contains(new Deadlines.Due(Deadlines.Due.Kind.EXPIRY, NOW + 600_000));
            assertThat(DEADLINES.next(partly))
                .contains(new Deadlines.Due(Deadlines.Due.Kind.EXPIRY, NOW + 60_000 + 600_000));
            assertThat(DEADLINES.next(refused)).as("a refused fulfilment changes nothing")
                .isEqualTo(DEADLINES.next(partly));
            assertThat(partly.reservedBy()).isEqualTo(cause("f1"));
        }
    }

    @Nested
    class Expire {

        @Test
        void shouldReleaseEverythingHeldCausedByTheEventThatStartedTheClock() {
            final OrderState state = reserved(Map.of("p1", 3L, "p2", 1L));

            final OrderOutcome outcome = OrderSaga.expire(state, NOW + 600_000);

            assertThat(outcome.requests()).containsExactly(
                new StockRequest.Release(ORDER, "p1", state.step() + 1, StockRequest.Release.ALL,
                    ReleaseReason.EXPIRED, cause("e1")),
                new StockRequest.Release(ORDER, "p2", state.step() + 1, StockRequest.Release.ALL,
                    ReleaseReason.EXPIRED, cause("e1")));
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.EXPIRED);
            assertThat(outcome.state().lastReserved()).containsExactly("p1", "p2");
        }

        @Test
        void shouldLetAnExpiryDueDuringAPendingDecisionWaitForIt() {
            final OrderState state = reserved(Map.of("p1", 3L));
            final OrderOutcome asked = OrderSaga.onEvent(state, changed("u1", Map.of("p1", 5L)), NOW,
                NOW + 590_000);

            assertThat(DEADLINES.next(asked.state())).contains(
                new Deadlines.Due(Deadlines.Due.Kind.DECISION, NOW + 590_000 + 30_000));
            assertThat(OrderSaga.expire(asked.state(), NOW + 600_001).state()).as("not while pending").isNull();

            final StockRequest.Hold hold = (StockRequest.Hold) asked.requests().get(0);
            final OrderOutcome refused = OrderSaga.onReply(asked.state(),
                StockReply.refused(hold, FailureReason.INSUFFICIENT_STOCK, 0), NOW, NOW + 605_000);

            assertThat(DEADLINES.next(refused.state())).as("a refused update leaves the old clock: due at once")
                .contains(new Deadlines.Due(Deadlines.Due.Kind.EXPIRY, NOW + 600_000));
        }

        @Test
        void shouldIgnoreACancelOfAnExpiredOrderAndReserveItAnewOnUpdate() {
            final OrderState expired = OrderSaga.expire(reserved(Map.of("p1", 3L)), NOW).state();

            final OrderOutcome cancel = OrderSaga.onEvent(expired, cancelled("c1"), NOW, NOW);
            final OrderOutcome update = OrderSaga.onEvent(expired, changed("u1", Map.of("p1", 2L)), NOW, NOW);

            assertThat(cancel.requests()).isEmpty();
            assertThat(cancel.events()).isEmpty();
            assertThat(cancel.state().status()).isEqualTo(OrderStatus.EXPIRED);
            assertThat(update.requests()).singleElement().isInstanceOf(StockRequest.Hold.class)
                .extracting(request -> ((StockRequest.Hold) request).quantity()).isEqualTo(2L);
        }
    }

    @Nested
    class CancelDuringAnAtOnceStep {

        @Test
        void shouldApplyTheUpdateThatSucceededAtOnceThenTheCancel() {
            final OrderState state = reserved(Map.of("p1", 3L));
            final OrderOutcome asked = OrderSaga.onEvent(state, changed("u1", Map.of("p2", 1L)), NOW, NOW);
            final OrderState cancelled = OrderSaga.onEvent(asked.state(), cancelled("c1"), NOW, NOW).state();
            final StockRequest.Hold hold = (StockRequest.Hold) asked.requests().get(0);

            final OrderOutcome decided = OrderSaga.onReply(cancelled, StockReply.granted(hold, 5), NOW, NOW);

            assertThat(hold.atOnce()).isTrue();
            assertThat(decided.requests()).as("the update's own decrease, then the cancel of what it left")
                .containsExactly(
                    new StockRequest.Release(ORDER, "p1", hold.step(), 3, ReleaseReason.UPDATED, cause("u1")),
                    new StockRequest.Release(ORDER, "p2", hold.step() + 1, StockRequest.Release.ALL,
                        ReleaseReason.CANCELLED, cause("c1")));
            assertThat(decided.events()).isEmpty();
            assertThat(decided.state().status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(decided.state().reserved()).isEmpty();
        }
    }

    @Nested
    class Abandon {

        @Test
        void shouldFailTheUnansweredProductsAbortTheGrantedAndAbortTheUnansweredInCaseTheyAreLate() {
            final OrderOutcome asked = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 2L, "p2", 1L)), NOW, NOW);
            final StockRequest.Hold p1 = (StockRequest.Hold) asked.requests().get(0);
            final OrderState answered = OrderSaga.onReply(asked.state(), StockReply.granted(p1, 5), NOW, NOW).state();

            final OrderOutcome abandoned = OrderSaga.abandon(answered, NOW + 30_000);

            assertThat(abandoned.requests()).containsExactlyInAnyOrder(
                new StockRequest.Abort(ORDER, "p1", 1, 2, cause("e1")),
                new StockRequest.Abort(ORDER, "p2", 1, 1, cause("e1")));
            assertThat(abandoned.events()).containsExactly(new Emitted(
                new InventoryEvent.ReservationFailed("p2", FailureReason.DECISION_TIMEOUT, ORDER), cause("e1")));
            assertThat(abandoned.state().status()).isEqualTo(OrderStatus.FAILED);
            assertThat(abandoned.state().pending()).isNull();
        }

        @Test
        void shouldIgnoreAnAnswerThatComesAfterTheStepWasAbandoned() {
            final OrderOutcome asked = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 2L)), NOW, NOW);
            final OrderState abandoned = OrderSaga.abandon(asked.state(), NOW + 30_000).state();
            final StockRequest.Hold hold = (StockRequest.Hold) asked.requests().get(0);

            final OrderOutcome late = OrderSaga.onReply(abandoned, StockReply.granted(hold, 5), NOW, NOW + 40_000);

            assertThat(late.state()).isNull();
            assertThat(late.requests()).isEmpty();
            assertThat(late.events()).isEmpty();
        }
    }

    @Nested
    class Stock {

        private static final String PRODUCT = "p1";

        private ProductState product(final long onHand) {
            return ProductState.of(new InventoryItem(PRODUCT, "Widget", "Acme", BigDecimal.ONE, "EUR", onHand));
        }

        @Test
        void shouldLowerOnHandAndTheReservationTogether() {
            final StockRequest.Hold hold = new StockRequest.Hold(ORDER, PRODUCT, 1, 4, true, USER, cause("e1"));
            final StockOutcome reserved = StockRules.handle(product(10), OrderShare.NONE, hold);

            final StockOutcome shipped = StockRules.handle(reserved.state(), reserved.share(),
                new StockRequest.Fulfil(ORDER, PRODUCT, 2, 3, cause("f1")));
            final StockOutcome again = StockRules.handle(shipped.state(), shipped.share(),
                new StockRequest.Fulfil(ORDER, PRODUCT, 2, 3, cause("f1")));

            assertThat(shipped.state().onHand()).isEqualTo(7);
            assertThat(shipped.state().reserved()).isEqualTo(1);
            assertThat(shipped.state().available()).isEqualTo(6);
            assertThat(shipped.share().reservedUnits()).isEqualTo(1);
            assertThat(shipped.events()).containsExactly(new Emitted(
                new InventoryEvent.Fulfilled(PRODUCT, 3, ORDER, 7), cause("f1")));
            assertThat(again.state()).as("a redelivered fulfil counts nothing twice").isNull();
            assertThat(again.events()).isEmpty();
        }

        @Test
        void shouldGiveBackALateReservationMadeAtOnceForAnAbandonedStepAndDeleteTheShare() {
            final StockRequest.Hold hold = new StockRequest.Hold(ORDER, PRODUCT, 3, 4, true, USER, cause("e1"));
            final StockOutcome reserved = StockRules.handle(product(10), OrderShare.NONE, hold);
            final StockRequest.Abort abort = new StockRequest.Abort(ORDER, PRODUCT, 3, 4, cause("e1"));

            final StockOutcome revoked = StockRules.handle(reserved.state(), reserved.share(), abort);
            final StockOutcome abortAgain = StockRules.handle(revoked.state(), revoked.share(), abort);

            assertThat(revoked.state().reserved()).isZero();
            assertThat(revoked.state().available()).isEqualTo(10);
            assertThat(revoked.events()).containsExactly(new Emitted(new InventoryEvent.Released(PRODUCT, 4, ORDER,
                10, ReleaseReason.DECISION_TIMEOUT), cause("e1")));
            assertThat(revoked.share().isEmpty()).as("nothing left of the order's share: deleted").isTrue();
            assertThat(abortAgain.events()).as("a redelivered abort gives back nothing more").isEmpty();
            assertThat(abortAgain.state()).isNull();
        }

        @Test
        void shouldFenceALateRevocationWhenTheOrderKeepsAnEarlierReservationOfTheProduct() {
            final StockOutcome first = StockRules.handle(product(10), OrderShare.NONE,
                new StockRequest.Hold(ORDER, PRODUCT, 1, 2, true, USER, cause("e1")));
            final StockOutcome increase = StockRules.handle(first.state(), first.share(),
                new StockRequest.Hold(ORDER, PRODUCT, 2, 3, true, USER, cause("u1")));
            final StockRequest.Abort abort = new StockRequest.Abort(ORDER, PRODUCT, 2, 3, cause("u1"));

            final StockOutcome revoked = StockRules.handle(increase.state(), increase.share(), abort);
            final StockOutcome abortAgain = StockRules.handle(revoked.state(), revoked.share(), abort);

            assertThat(revoked.state().reserved()).as("the earlier 2 units stay reserved").isEqualTo(2);
            assertThat(revoked.share().reservedUnits()).isEqualTo(2);
            assertThat(abortAgain.events()).isEmpty();
            assertThat(abortAgain.state()).as("the fence: nothing given back twice").isNull();
        }
    }
}
