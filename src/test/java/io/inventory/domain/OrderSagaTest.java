package io.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The order side of the reservation saga, without Kafka: order events and stock replies in, requests and events out. */
class OrderSagaTest {

    private static final String ORDER = "o1";
    private static final String USER = "user-1";
    private static final long NOW = 1_761_819_330_000L;

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
        return new OrderEvent.Cancelled(eventId, ORDER, USER, "customer asked", cause(eventId));
    }

    private static StockRequest.Hold hold(final String productId, final long step, final long quantity,
                                          final String eventId) {
        return new StockRequest.Hold(ORDER, productId, step, quantity, false, USER, cause(eventId));
    }

    /** The hold of a step that asks one product only: reserved and announced by the owner at once. */
    private static StockRequest.Hold holdAtOnce(final String productId, final long step, final long quantity,
                                                final String eventId) {
        return new StockRequest.Hold(ORDER, productId, step, quantity, true, USER, cause(eventId));
    }

    private static StockRequest.Confirm confirm(final String productId, final long step, final String eventId) {
        return new StockRequest.Confirm(ORDER, productId, step, USER, cause(eventId));
    }

    private static StockRequest.Abort abort(final String productId, final long step, final long quantity,
                                            final String eventId) {
        return new StockRequest.Abort(ORDER, productId, step, quantity, cause(eventId));
    }

    /** A cancel releases everything held ({@code ALL}); an update releases its decreases. */
    private static StockRequest.Release release(final String productId, final long step, final long quantity,
                                                final String eventId) {
        return new StockRequest.Release(ORDER, productId, step, quantity,
            quantity == StockRequest.Release.ALL ? ReleaseReason.CANCELLED : ReleaseReason.UPDATED, cause(eventId));
    }

    private static StockReply granted(final String productId, final long step, final long quantity) {
        return new StockReply(ORDER, productId, step, true, null, quantity, 100, false);
    }

    private static StockReply reservedAtOnce(final String productId, final long step, final long quantity) {
        return new StockReply(ORDER, productId, step, true, null, quantity, 100, true);
    }

    private static StockReply refused(final String productId, final long step, final FailureReason reason,
                                      final long requested, final long available) {
        return new StockReply(ORDER, productId, step, false, reason, requested, available, false);
    }

    private static Emitted failed(final String productId, final FailureReason reason, final String eventId) {
        return new Emitted(new InventoryEvent.ReservationFailed(productId, reason, ORDER), cause(eventId));
    }

    private static OrderOutcome nothing() {
        return new OrderOutcome(null, List.of(), List.of());
    }

    /** Answers every hold of {@code outcome} as granted, one reply at a time; returns the last outcome. */
    private static OrderOutcome grantAll(final OrderOutcome outcome) {
        OrderState state = outcome.state();
        OrderOutcome last = outcome;
        for (final StockRequest request : outcome.requests()) {
            if (request instanceof StockRequest.Hold hold) {
                last = OrderSaga.onReply(state, StockReply.granted(hold, 100), NOW);
                state = last.state();
            }
        }
        return last;
    }

    /** An order created with {@code lines} and reserved: step 1, status RESERVED. */
    private static OrderState reserved(final Map<String, Long> lines) {
        return grantAll(OrderSaga.onEvent(null, placed("e-create", lines), NOW)).state();
    }

    @Nested
    class Create {

        @Test
        void shouldAskASingleProductToReserveAtOnceAndSendNoConfirmWhenItHas() {
            // given
            final OrderOutcome asked = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 2L)), NOW);

            // when
            final OrderOutcome answered = OrderSaga.onReply(asked.state(), reservedAtOnce("p1", 1, 2), NOW);

            // then
            assertThat(asked.requests()).containsExactly(holdAtOnce("p1", 1, 2, "e1"));
            assertThat(answered.requests()).isEmpty();
            assertThat(answered.events()).isEmpty();
            assertThat(answered.state().status()).isEqualTo(OrderStatus.RESERVED);
            assertThat(answered.state().reserved()).isEqualTo(Map.of("p1", 2L));
            assertThat(answered.state().pending()).isNull();
        }

        @Test
        void shouldConfirmAGrantedHoldThatWasNotReservedAtOnce() {
            // given: a hold sent before holds could be reserved at once, answered as a plain hold
            final OrderOutcome asked = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 2L)), NOW);

            // when
            final OrderOutcome answered = OrderSaga.onReply(asked.state(), granted("p1", 1, 2), NOW);

            // then
            assertThat(answered.requests()).containsExactly(confirm("p1", 1, "e1"));
            assertThat(answered.state().status()).isEqualTo(OrderStatus.RESERVED);
        }

        @Test
        void shouldReleaseAReservationMadeAtOnceWhenTheCreateWasCancelledMeanwhile() {
            // given
            OrderState state = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 2L)), NOW).state();
            state = OrderSaga.onEvent(state, cancelled("e2"), NOW).state();

            // when
            final OrderOutcome decided = OrderSaga.onReply(state, reservedAtOnce("p1", 1, 2), NOW);

            // then: as if the cancel came after the decision: no failure, the reservation released
            assertThat(decided.requests()).containsExactly(release("p1", 2, StockRequest.Release.ALL, "e2"));
            assertThat(decided.events()).isEmpty();
            assertThat(decided.state().status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(decided.state().reserved()).isEmpty();
        }

        @Test
        void shouldSendOneHoldPerProductInProductOrderAndWait() {
            // given
            final OrderEvent.Placed create = placed("e1", Map.of("p3", 3L, "p1", 1L, "p2", 2L));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(null, create, NOW);

            // then
            assertThat(outcome.requests()).containsExactly(hold("p1", 1, 1, "e1"), hold("p2", 1, 2, "e1"),
                hold("p3", 1, 3, "e1"));
            assertThat(outcome.events()).isEmpty();
            final OrderState state = outcome.state();
            assertThat(state.placed()).isTrue();
            assertThat(state.userId()).isEqualTo(USER);
            assertThat(state.step()).isEqualTo(1);
            assertThat(state.reserved()).isEmpty();
            assertThat(state.pending().kind()).isEqualTo(PendingStep.Kind.CREATE);
            assertThat(state.pending().increases()).isEqualTo(Map.of("p1", 1L, "p2", 2L, "p3", 3L));
            assertThat(state.isSettled()).isFalse();
            assertThat(state.updatedAt()).isEqualTo(NOW);
        }

        @Test
        void shouldWaitUntilEveryProductHasAnswered() {
            // given
            final OrderState pending = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L, "p2", 2L)), NOW)
                .state();

            // when
            final OrderOutcome outcome = OrderSaga.onReply(pending, granted("p1", 1, 1), NOW + 1);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().pending().replies()).containsOnlyKeys("p1");
            assertThat(outcome.state().updatedAt()).isEqualTo(NOW + 1);
        }

        @Test
        void shouldConfirmEveryHoldWhenAllAreGranted() {
            // given
            final OrderState pending = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L, "p2", 2L)), NOW)
                .state();
            final OrderState oneAnswered = OrderSaga.onReply(pending, granted("p2", 1, 2), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onReply(oneAnswered, granted("p1", 1, 1), NOW);

            // then
            assertThat(outcome.requests()).containsExactly(confirm("p1", 1, "e1"), confirm("p2", 1, "e1"));
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.RESERVED);
            assertThat(outcome.state().reserved()).isEqualTo(Map.of("p1", 1L, "p2", 2L));
            assertThat(outcome.state().pending()).isNull();
            assertThat(outcome.state().step()).isEqualTo(1);
        }

        @Test
        void shouldAbortTheGrantedHoldsAndReportEveryRefusalWhenAnyIsRefused() {
            // given
            OrderState state = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L, "p2", 5L, "p3", 1L)), NOW)
                .state();
            state = OrderSaga.onReply(state, refused("p3", 1, FailureReason.UNKNOWN_PRODUCT, 1, 0), NOW).state();
            state = OrderSaga.onReply(state, granted("p1", 1, 1), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onReply(state,
                refused("p2", 1, FailureReason.INSUFFICIENT_STOCK, 5, 3), NOW);

            // then
            assertThat(outcome.requests()).containsExactly(abort("p1", 1, 1, "e1"));
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Insufficient("p2", 5, 3, ORDER), cause("e1")),
                failed("p2", FailureReason.INSUFFICIENT_STOCK, "e1"),
                failed("p3", FailureReason.UNKNOWN_PRODUCT, "e1"));
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.FAILED);
            assertThat(outcome.state().reserved()).isEmpty();
            assertThat(outcome.state().pending()).isNull();
            assertThat(outcome.state().isSettled()).isTrue();
        }

        @Test
        void shouldFailAnOrderWithInvalidLinesWithInvalidQuantityAndHoldNothing() {
            // given
            final OrderEvent.Placed create = new OrderEvent.Placed("e1", ORDER, USER, Map.of("p1", 1L),
                List.of("p3", "p2"), cause("e1"));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(null, create, NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).containsExactly(failed("p2", FailureReason.INVALID_QUANTITY, "e1"),
                failed("p3", FailureReason.INVALID_QUANTITY, "e1"));
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.FAILED);
            assertThat(outcome.state().placed()).isTrue();
        }

        @Test
        void shouldIgnoreASecondCreateOfAReservedOrder() {
            // given
            final OrderState state = reserved(Map.of("p1", 1L));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(state, placed("e2", Map.of("p1", 5L)), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().reserved()).isEqualTo(state.reserved());
            assertThat(outcome.state().step()).isEqualTo(state.step());
        }

        @Test
        void shouldIgnoreASecondCreateWhileTheFirstIsPending() {
            // given
            final OrderState pending = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L)), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(pending, placed("e2", Map.of("p1", 5L)), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().pending()).isEqualTo(pending.pending());
            assertThat(outcome.state().deferred()).isEmpty();
        }
    }

    @Nested
    class Replies {

        private final OrderState pending = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L, "p2", 2L)), NOW)
            .state();

        @Test
        void shouldIgnoreAReplyForAnotherStep() {
            // when
            final OrderOutcome outcome = OrderSaga.onReply(pending, granted("p1", 0, 1), NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreAReplyForAProductThatWasNotAsked() {
            // when
            final OrderOutcome outcome = OrderSaga.onReply(pending, granted("p9", 1, 1), NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreASecondReplyFromTheSameProduct() {
            // given
            final OrderState answered = OrderSaga.onReply(pending, granted("p1", 1, 1), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onReply(answered,
                refused("p1", 1, FailureReason.INSUFFICIENT_STOCK, 1, 0), NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreAReplyForAnOrderNeverSeen() {
            // when
            final OrderOutcome outcome = OrderSaga.onReply(null, granted("p1", 1, 1), NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreALateReplyOnceTheDecisionIsMade() {
            // given
            final OrderState decided = reserved(Map.of("p1", 1L));

            // when
            final OrderOutcome outcome = OrderSaga.onReply(decided, granted("p1", 1, 1), NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }
    }

    @Nested
    class Update {

        @Test
        void shouldHoldOnlyTheIncreasesAndConfirmThemAndReleaseTheDecreasesOnceGranted() {
            // given
            final OrderState state = reserved(Map.of("p1", 1L, "p2", 2L, "p3", 3L));

            // when
            final OrderOutcome asked = OrderSaga.onEvent(state, changed("e2", Map.of("p1", 4L, "p2", 2L, "p4", 1L)),
                NOW);
            final OrderOutcome decided = grantAll(asked);

            // then
            assertThat(asked.requests()).containsExactly(hold("p1", 2, 3, "e2"), hold("p4", 2, 1, "e2"));
            assertThat(asked.state().pending().kind()).isEqualTo(PendingStep.Kind.UPDATE);
            assertThat(asked.state().reserved()).isEqualTo(state.reserved());
            assertThat(decided.requests()).containsExactly(confirm("p1", 2, "e2"), confirm("p4", 2, "e2"),
                release("p3", 2, 3, "e2"));
            assertThat(decided.events()).isEmpty();
            assertThat(decided.state().status()).isEqualTo(OrderStatus.RESERVED);
            assertThat(decided.state().reserved()).isEqualTo(Map.of("p1", 4L, "p2", 2L, "p4", 1L));
        }

        @Test
        void shouldReleaseTheDecreasesAtOnceWhenAnUpdateNeedsNoStock() {
            // given
            final OrderState state = reserved(Map.of("p1", 3L, "p2", 2L));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(state, changed("e2", Map.of("p1", 1L)), NOW);

            // then
            assertThat(outcome.requests()).containsExactly(release("p1", 2, 2, "e2"), release("p2", 2, 2, "e2"));
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().pending()).isNull();
            assertThat(outcome.state().step()).isEqualTo(2);
            assertThat(outcome.state().reserved()).isEqualTo(Map.of("p1", 1L));
        }

        @Test
        void shouldDoNothingForAnUpdateWithTheSameLines() {
            // given
            final OrderState state = reserved(Map.of("p1", 3L));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(state, changed("e2", Map.of("p1", 3L)), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().step()).isEqualTo(state.step());
            assertThat(outcome.state().reserved()).isEqualTo(state.reserved());
        }

        @Test
        void shouldKeepThePreviousReservationWhenAnIncreaseIsRefused() {
            // given
            final OrderState state = reserved(Map.of("p1", 1L, "p2", 2L));
            OrderState asked = OrderSaga.onEvent(state, changed("e2", Map.of("p1", 5L, "p2", 1L, "p3", 1L)), NOW)
                .state();
            asked = OrderSaga.onReply(asked, granted("p3", 2, 1), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onReply(asked,
                refused("p1", 2, FailureReason.INSUFFICIENT_STOCK, 4, 2), NOW);

            // then
            assertThat(outcome.requests()).containsExactly(abort("p3", 2, 1, "e2"));
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Insufficient("p1", 4, 2, ORDER), cause("e2")),
                failed("p1", FailureReason.INSUFFICIENT_STOCK, "e2"));
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.RESERVED);
            assertThat(outcome.state().reserved()).isEqualTo(state.reserved());
        }

        @Test
        void shouldReserveAFailedOrderThroughAnUpdate() {
            // given
            final OrderState pending = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 5L)), NOW).state();
            final OrderState failed = OrderSaga.onReply(pending,
                refused("p1", 1, FailureReason.INSUFFICIENT_STOCK, 5, 2), NOW).state();

            // when
            final OrderOutcome asked = OrderSaga.onEvent(failed, changed("e2", Map.of("p1", 2L)), NOW);
            final OrderOutcome decided = grantAll(asked);

            // then
            assertThat(failed.status()).isEqualTo(OrderStatus.FAILED);
            assertThat(asked.requests()).containsExactly(holdAtOnce("p1", 2, 2, "e2"));
            assertThat(decided.requests()).isEmpty();
            assertThat(decided.state().status()).isEqualTo(OrderStatus.RESERVED);
        }

        @Test
        void shouldFailAnUpdateOfAnOrderNeverSeenWithUnknownOrder() {
            // when
            final OrderOutcome outcome = OrderSaga.onEvent(null, changed("e1", Map.of("p2", 1L, "p1", 1L)), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).containsExactly(failed("p1", FailureReason.UNKNOWN_ORDER, "e1"),
                failed("p2", FailureReason.UNKNOWN_ORDER, "e1"));
            assertThat(outcome.state().placed()).isFalse();
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.NEW);
        }

        @Test
        void shouldReserveAnOrderWhoseCreateArrivesAfterAnUpdateThatFailedWithUnknownOrder() {
            // given
            final OrderState unknown = OrderSaga.onEvent(null, changed("e1", Map.of("p1", 1L)), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(unknown, placed("e2", Map.of("p1", 2L)), NOW);

            // then
            assertThat(outcome.requests()).containsExactly(holdAtOnce("p1", 1, 2, "e2"));
        }

        @Test
        void shouldFailAnUpdateWithInvalidLinesWithInvalidQuantityAndKeepTheReservation() {
            // given
            final OrderState state = reserved(Map.of("p1", 1L));
            final OrderEvent.Changed update = new OrderEvent.Changed("e2", ORDER, USER, Map.of("p1", 9L),
                List.of("p2"), cause("e2"));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(state, update, NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).containsExactly(failed("p2", FailureReason.INVALID_QUANTITY, "e2"));
            assertThat(outcome.state().reserved()).isEqualTo(state.reserved());
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.RESERVED);
        }

        @Test
        void shouldDeferAnUpdateThatArrivesWhileADecisionIsPendingAndRunItAfterTheDecision() {
            // given
            final OrderOutcome created = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L)), NOW);

            // when
            final OrderOutcome deferred = OrderSaga.onEvent(created.state(), changed("e2", Map.of("p1", 3L)), NOW);
            final OrderOutcome decided = OrderSaga.onReply(deferred.state(), reservedAtOnce("p1", 1, 1), NOW);

            // then
            assertThat(deferred.requests()).isEmpty();
            assertThat(deferred.events()).isEmpty();
            assertThat(deferred.state().deferred()).hasSize(1);
            assertThat(decided.requests()).containsExactly(holdAtOnce("p1", 2, 2, "e2"));
            assertThat(decided.state().reserved()).isEqualTo(Map.of("p1", 1L));
            assertThat(decided.state().pending().step()).isEqualTo(2);
            assertThat(decided.state().deferred()).isEmpty();
        }

        @Test
        void shouldRunDeferredUpdatesInArrivalOrderUntilOneWaits() {
            // given
            OrderState state = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 3L)), NOW).state();
            state = OrderSaga.onEvent(state, changed("e2", Map.of("p1", 1L)), NOW).state();
            state = OrderSaga.onEvent(state, changed("e3", Map.of("p1", 2L)), NOW).state();

            // when
            final OrderOutcome decided = OrderSaga.onReply(state, reservedAtOnce("p1", 1, 3), NOW);

            // then
            assertThat(decided.requests()).containsExactly(release("p1", 2, 2, "e2"), holdAtOnce("p1", 3, 1, "e3"));
            assertThat(decided.state().reserved()).isEqualTo(Map.of("p1", 1L));
            assertThat(decided.state().pending().step()).isEqualTo(3);
        }
    }

    @Nested
    class Cancel {

        @Test
        void shouldReleaseEverythingAReservedOrderHolds() {
            // given
            final OrderState state = reserved(Map.of("p1", 1L, "p2", 2L));

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(state, cancelled("e2"), NOW);

            // then
            assertThat(outcome.requests()).containsExactly(release("p1", 2, StockRequest.Release.ALL, "e2"),
                release("p2", 2, StockRequest.Release.ALL, "e2"));
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(outcome.state().reserved()).isEmpty();
            assertThat(outcome.state().isSettled()).isTrue();
        }

        @Test
        void shouldSendNothingWhenCancellingAnOrderThatHoldsNothing() {
            // given
            final OrderState pending = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 5L)), NOW).state();
            final OrderState failed = OrderSaga.onReply(pending,
                refused("p1", 1, FailureReason.INSUFFICIENT_STOCK, 5, 0), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(failed, cancelled("e2"), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.CANCELLED);
        }

        @Test
        void shouldIgnoreASecondCancel() {
            // given
            final OrderState cancelled = OrderSaga.onEvent(reserved(Map.of("p1", 1L)), cancelled("e2"), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(cancelled, cancelled("e3"), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.state().step()).isEqualTo(cancelled.step());
        }

        @Test
        void shouldTurnAPendingCreateIntoACancelWithOrderCancelledFailures() {
            // given
            OrderState state = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L, "p2", 2L)), NOW).state();
            final OrderOutcome cancel = OrderSaga.onEvent(state, cancelled("e2"), NOW);
            state = OrderSaga.onReply(cancel.state(), granted("p1", 1, 1), NOW).state();

            // when
            final OrderOutcome decided = OrderSaga.onReply(state, granted("p2", 1, 2), NOW);

            // then
            assertThat(cancel.requests()).isEmpty();
            assertThat(cancel.events()).isEmpty();
            assertThat(cancel.state().pending().cancelledBy()).isEqualTo(cause("e2"));
            assertThat(decided.requests()).containsExactly(abort("p1", 1, 1, "e1"), abort("p2", 1, 2, "e1"));
            assertThat(decided.events()).containsExactly(failed("p1", FailureReason.ORDER_CANCELLED, "e1"),
                failed("p2", FailureReason.ORDER_CANCELLED, "e1"));
            assertThat(decided.state().status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(decided.state().reserved()).isEmpty();
            assertThat(decided.state().isSettled()).isTrue();
        }

        @Test
        void shouldReleaseWhatWasReservedWhenAPendingUpdateIsCancelled() {
            // given
            final OrderState state = reserved(Map.of("p1", 1L));
            final OrderState asked = OrderSaga.onEvent(state, changed("e2", Map.of("p1", 1L, "p2", 2L)), NOW)
                .state();
            final OrderState cancelling = OrderSaga.onEvent(asked, cancelled("e3"), NOW).state();

            // when
            final OrderOutcome decided = OrderSaga.onReply(cancelling, reservedAtOnce("p2", 2, 2), NOW);

            // then: p2 was reserved and announced by its owner, so the cancel releases it with p1
            assertThat(decided.requests()).containsExactly(release("p1", 3, StockRequest.Release.ALL, "e3"),
                release("p2", 3, StockRequest.Release.ALL, "e3"));
            assertThat(decided.events()).isEmpty();
            assertThat(decided.state().status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(decided.state().reserved()).isEmpty();
            assertThat(decided.state().step()).isEqualTo(3);
        }

        @Test
        void shouldFailAnUpdateDeferredBehindADecisionThatEndsInACancel() {
            // given
            OrderState state = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L)), NOW).state();
            state = OrderSaga.onEvent(state, changed("e2", Map.of("p2", 1L)), NOW).state();
            state = OrderSaga.onEvent(state, cancelled("e3"), NOW).state();

            // when
            final OrderOutcome decided = OrderSaga.onReply(state, reservedAtOnce("p1", 1, 1), NOW);

            // then
            assertThat(decided.requests()).containsExactly(release("p1", 2, StockRequest.Release.ALL, "e3"));
            assertThat(decided.events()).containsExactly(failed("p2", FailureReason.ORDER_CANCELLED, "e2"));
            assertThat(decided.state().deferred()).isEmpty();
            assertThat(decided.state().status()).isEqualTo(OrderStatus.CANCELLED);
        }

        @Test
        void shouldRememberACancelThatArrivesBeforeTheCreateAndFailTheLateCreateWithOrderCancelled() {
            // given
            final OrderOutcome cancel = OrderSaga.onEvent(null, cancelled("e1"), NOW);

            // when
            final OrderOutcome create = OrderSaga.onEvent(cancel.state(), placed("e2", Map.of("p2", 2L, "p1", 1L)),
                NOW);

            // then
            assertThat(cancel.requests()).isEmpty();
            assertThat(cancel.events()).isEmpty();
            assertThat(cancel.state().status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(cancel.state().placed()).isFalse();
            assertThat(create.requests()).isEmpty();
            assertThat(create.events()).containsExactly(failed("p1", FailureReason.ORDER_CANCELLED, "e2"),
                failed("p2", FailureReason.ORDER_CANCELLED, "e2"));
            assertThat(create.state().status()).isEqualTo(OrderStatus.CANCELLED);
        }

        @Test
        void shouldFailAnUpdateOfACancelledOrderWithOrderCancelled() {
            // given
            final OrderState cancelled = OrderSaga.onEvent(reserved(Map.of("p1", 1L)), cancelled("e2"), NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(cancelled, changed("e3", Map.of("p1", 2L)), NOW);

            // then
            assertThat(outcome.requests()).isEmpty();
            assertThat(outcome.events()).containsExactly(failed("p1", FailureReason.ORDER_CANCELLED, "e3"));
            assertThat(outcome.state().status()).isEqualTo(OrderStatus.CANCELLED);
        }
    }

    @Nested
    class Duplicates {

        @Test
        void shouldIgnoreARedeliveredCreate() {
            // given
            final OrderEvent.Placed create = placed("e1", Map.of("p1", 1L));
            final OrderState pending = OrderSaga.onEvent(null, create, NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(pending, create, NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreARedeliveredUpdateAfterItWasApplied() {
            // given
            final OrderEvent.Changed update = changed("e2", Map.of("p1", 1L));
            final OrderState updated = OrderSaga.onEvent(reserved(Map.of("p1", 3L)), update, NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(updated, update, NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreARedeliveredCancel() {
            // given
            final OrderEvent.Cancelled cancel = cancelled("e2");
            final OrderState cancelled = OrderSaga.onEvent(reserved(Map.of("p1", 3L)), cancel, NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(cancelled, cancel, NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldNotDeferARedeliveredUpdateTwice() {
            // given
            final OrderEvent.Changed update = changed("e2", Map.of("p1", 2L));
            OrderState state = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L)), NOW).state();
            state = OrderSaga.onEvent(state, update, NOW).state();

            // when
            final OrderOutcome outcome = OrderSaga.onEvent(state, update, NOW);

            // then
            assertThat(outcome).isEqualTo(nothing());
            assertThat(state.deferred()).hasSize(1);
        }
    }

    @Nested
    class Steps {

        @Test
        void shouldIncreaseTheStepWithEveryRoundOfRequests() {
            // given
            final OrderOutcome created = OrderSaga.onEvent(null, placed("e1", Map.of("p1", 1L)), NOW);
            final OrderState reserved = grantAll(created).state();

            // when
            final OrderOutcome increased = OrderSaga.onEvent(reserved, changed("e2", Map.of("p1", 2L)), NOW);
            final OrderState increasedState = grantAll(increased).state();
            final OrderOutcome decreased = OrderSaga.onEvent(increasedState, changed("e3", Map.of("p1", 1L)), NOW);
            final OrderOutcome cancelled = OrderSaga.onEvent(decreased.state(), cancelled("e4"), NOW);

            // then
            assertThat(created.requests()).extracting(StockRequest::step).containsExactly(1L);
            assertThat(increased.requests()).extracting(StockRequest::step).containsExactly(2L);
            assertThat(decreased.requests()).extracting(StockRequest::step).containsExactly(3L);
            assertThat(cancelled.requests()).extracting(StockRequest::step).containsExactly(4L);
            assertThat(cancelled.state().step()).isEqualTo(4);
        }
    }
}
