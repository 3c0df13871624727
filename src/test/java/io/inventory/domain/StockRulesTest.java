package io.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of one product's stock, without Kafka: item commands and the order side's requests. */
class StockRulesTest {

    private static final long NOW = 1_761_819_330_000L;
    private static final String PRODUCT = "p1";
    private static final BigDecimal PRICE = new BigDecimal("9.99");

    private static Cause cause(final String eventId) {
        return Cause.of(eventId, "corr-" + eventId, "user-1");
    }

    private static InventoryCommand.CreateItem create(final String commandId, final long quantity) {
        return new InventoryCommand.CreateItem(commandId, PRODUCT, "Widget", "Acme", quantity, PRICE, "EUR",
            cause(commandId));
    }

    private static InventoryCommand.UpdateItem update(final String commandId, final Long quantity) {
        return new InventoryCommand.UpdateItem(commandId, PRODUCT, null, null, quantity, null, null,
            cause(commandId));
    }

    private static InventoryCommand.AdjustStock adjust(final String commandId, final long delta) {
        return new InventoryCommand.AdjustStock(commandId, PRODUCT, delta, cause(commandId));
    }

    private static InventoryCommand.DeleteItem delete(final String commandId) {
        return new InventoryCommand.DeleteItem(commandId, PRODUCT, cause(commandId));
    }

    private static StockRequest.Hold hold(final String orderId, final long step, final long quantity) {
        return new StockRequest.Hold(orderId, PRODUCT, step, quantity, false, "user-1",
            cause("hold-" + orderId + "-" + step));
    }

    /** The hold of a one-product step: a reservation at once. */
    private static StockRequest.Hold holdAtOnce(final String orderId, final long step, final long quantity) {
        return new StockRequest.Hold(orderId, PRODUCT, step, quantity, true, "user-1",
            cause("hold-" + orderId + "-" + step));
    }

    private static StockRequest.Confirm confirm(final String orderId, final long step) {
        return new StockRequest.Confirm(orderId, PRODUCT, step, "user-1", cause("confirm-" + orderId + "-" + step));
    }

    private static StockRequest.Abort abort(final String orderId, final long step) {
        return new StockRequest.Abort(orderId, PRODUCT, step, cause("abort-" + orderId + "-" + step));
    }

    private static StockRequest.Release release(final String orderId, final long step, final long quantity) {
        return new StockRequest.Release(orderId, PRODUCT, step, quantity, cause("release-" + orderId + "-" + step));
    }

    private static InventoryItem item(final long onHand) {
        return new InventoryItem(PRODUCT, "Widget", "Acme", PRICE, "EUR", onHand);
    }

    /** A product with {@code onHand} units, created by command {@code c0}. */
    private static ProductState stocked(final long onHand) {
        return ProductState.of(item(onHand)).remembering("c0");
    }

    private static ProductState with(final ProductState state, final Map<String, Allocation> reservations,
                                     final Map<String, Allocation> holds) {
        return state.withReservations(reservations, holds);
    }

    private static Emitted rejected(final InventoryCommand command, final RejectionReason reason) {
        return new Emitted(new InventoryEvent.CommandRejected(PRODUCT, command.commandId(), command.commandType(),
            reason), command.cause());
    }

    private static StockOutcome unchanged() {
        return new StockOutcome(null, List.of(), List.of());
    }

    @Nested
    class Create {

        @Test
        void shouldCreateAProductNeverSeenAndEmitItemCreated() {
            // given
            final InventoryCommand.CreateItem create = create("c1", 10);

            // when
            final StockOutcome outcome = StockRules.apply(null, create, NOW);

            // then
            assertThat(outcome.state().item()).isEqualTo(item(10));
            assertThat(outcome.state().hasSeen("c1")).isTrue();
            assertThat(outcome.state().available()).isEqualTo(10);
            assertThat(outcome.replies()).isEmpty();
            assertThat(outcome.events()).containsExactly(new Emitted(
                new InventoryEvent.ItemCreated(PRODUCT, "Widget", "Acme", 10, PRICE, "EUR"), create.cause()));
        }

        @ParameterizedTest
        @ValueSource(longs = {0, Limits.MAX_QUANTITY})
        void shouldCreateAProductWithStockFromZeroToTheMaximum(final long quantity) {
            // when
            final StockOutcome outcome = StockRules.apply(null, create("c1", quantity), NOW);

            // then
            assertThat(outcome.state().onHand()).isEqualTo(quantity);
            assertThat(outcome.events()).singleElement()
                .satisfies(emitted -> assertThat(emitted.event()).isInstanceOf(InventoryEvent.ItemCreated.class));
        }

        @Test
        void shouldRejectACreateOfAnExistingProductWithProductExists() {
            // given
            final ProductState state = stocked(10);
            final InventoryCommand.CreateItem create = create("c1", 99);

            // when
            final StockOutcome outcome = StockRules.apply(state, create, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(create, RejectionReason.PRODUCT_EXISTS));
            assertThat(outcome.state().item()).isEqualTo(item(10));
            assertThat(outcome.state().hasSeen("c1")).isTrue();
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, Limits.MAX_QUANTITY + 1, Long.MIN_VALUE, Long.MAX_VALUE})
        void shouldRejectACreateWithAQuantityOutOfRangeWithInvalidQuantity(final long quantity) {
            // given
            final InventoryCommand.CreateItem create = create("c1", quantity);

            // when
            final StockOutcome outcome = StockRules.apply(null, create, NOW);

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.events()).containsExactly(rejected(create, RejectionReason.INVALID_QUANTITY));
        }

        @Test
        void shouldRejectACreateWithANegativePriceWithInvalidPrice() {
            // given
            final InventoryCommand.CreateItem create = new InventoryCommand.CreateItem("c1", PRODUCT, "Widget",
                "Acme", 10, new BigDecimal("-0.01"), "EUR", cause("c1"));

            // when
            final StockOutcome outcome = StockRules.apply(null, create, NOW);

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.events()).containsExactly(rejected(create, RejectionReason.INVALID_PRICE));
        }

        @Test
        void shouldRejectACommandForAProductNeverSeenAgainOnRedeliveryBecauseThereIsNowhereToRememberIt() {
            // given
            final InventoryCommand.AdjustStock adjust = adjust("c1", 5);

            // when
            final StockOutcome first = StockRules.apply(null, adjust, NOW);
            final StockOutcome again = StockRules.apply(first.state(), adjust, NOW);

            // then
            assertThat(first.state()).isNull();
            assertThat(first.events()).containsExactly(rejected(adjust, RejectionReason.UNKNOWN_PRODUCT));
            assertThat(again).isEqualTo(first);
        }

        @Test
        void shouldCreateADeletedProductAgainKeepingTheCommandsItRemembers() {
            // given
            final ProductState deleted = StockRules.apply(stocked(10), delete("c1"), NOW).state();

            // when
            final StockOutcome outcome = StockRules.apply(deleted, create("c2", 3), NOW);

            // then
            assertThat(outcome.state().exists()).isTrue();
            assertThat(outcome.state().onHand()).isEqualTo(3);
            assertThat(outcome.state().recentCommandIds()).containsExactly("c0", "c1", "c2");
            assertThat(outcome.events()).singleElement()
                .satisfies(emitted -> assertThat(emitted.event()).isInstanceOf(InventoryEvent.ItemCreated.class));
        }
    }

    @Nested
    class UnknownProduct {

        static Stream<InventoryCommand> commandsOtherThanCreate() {
            return Stream.of(update("c1", 5L), adjust("c1", 5), delete("c1"));
        }

        @ParameterizedTest
        @MethodSource("commandsOtherThanCreate")
        void shouldRejectACommandForAProductNeverSeenWithUnknownProduct(final InventoryCommand command) {
            // when
            final StockOutcome outcome = StockRules.apply(null, command, NOW);

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.replies()).isEmpty();
            assertThat(outcome.events()).containsExactly(rejected(command, RejectionReason.UNKNOWN_PRODUCT));
        }

        @ParameterizedTest
        @MethodSource("commandsOtherThanCreate")
        void shouldRejectACommandForADeletedProductWithUnknownProductAndRememberIt(final InventoryCommand command) {
            // given
            final ProductState deleted = StockRules.apply(stocked(10), delete("c-delete"), NOW).state();

            // when
            final StockOutcome outcome = StockRules.apply(deleted, command, NOW + 1);

            // then
            assertThat(outcome.events()).containsExactly(rejected(command, RejectionReason.UNKNOWN_PRODUCT));
            assertThat(outcome.state().exists()).isFalse();
            assertThat(outcome.state().deletedAt()).isEqualTo(NOW);
            assertThat(outcome.state().hasSeen("c1")).isTrue();
        }
    }

    @Nested
    class Update {

        @Test
        void shouldChangeOnlyTheFieldsGivenAndEmitTheFullStateAfterwards() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(2, 1)),
                Map.of("o2", new Allocation(3, 1)));
            final InventoryCommand.UpdateItem update = new InventoryCommand.UpdateItem("c1", PRODUCT, "Better widget",
                null, null, null, null, cause("c1"));

            // when
            final StockOutcome outcome = StockRules.apply(state, update, NOW);

            // then
            assertThat(outcome.state().item())
                .isEqualTo(new InventoryItem(PRODUCT, "Better widget", "Acme", PRICE, "EUR", 10));
            assertThat(outcome.state().hasSeen("c1")).isTrue();
            assertThat(outcome.events()).containsExactly(new Emitted(new InventoryEvent.ItemUpdated(PRODUCT,
                "Better widget", "Acme", 10, PRICE, "EUR", 2, 5), update.cause()));
        }

        @Test
        void shouldChangeEveryFieldGiven() {
            // given
            final InventoryCommand.UpdateItem update = new InventoryCommand.UpdateItem("c1", PRODUCT, "Gadget",
                "Globex", 7L, new BigDecimal("12.50"), "USD", cause("c1"));

            // when
            final StockOutcome outcome = StockRules.apply(stocked(10), update, NOW);

            // then
            assertThat(outcome.state().item())
                .isEqualTo(new InventoryItem(PRODUCT, "Gadget", "Globex", new BigDecimal("12.50"), "USD", 7));
            assertThat(outcome.events()).containsExactly(new Emitted(new InventoryEvent.ItemUpdated(PRODUCT,
                "Gadget", "Globex", 7, new BigDecimal("12.50"), "USD", 0, 7), update.cause()));
        }

        @Test
        void shouldAcceptAQuantityThatExactlyCoversReservedAndHeldUnits() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(2, 1)),
                Map.of("o2", new Allocation(3, 1)));

            // when
            final StockOutcome outcome = StockRules.apply(state, update("c1", 5L), NOW);

            // then
            assertThat(outcome.state().onHand()).isEqualTo(5);
            assertThat(outcome.state().available()).isZero();
        }

        @Test
        void shouldRejectAQuantityBelowReservedAndHeldUnitsWithReservationsUncovered() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(2, 1)),
                Map.of("o2", new Allocation(3, 1)));
            final InventoryCommand.UpdateItem update = update("c1", 4L);

            // when
            final StockOutcome outcome = StockRules.apply(state, update, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(update, RejectionReason.RESERVATIONS_UNCOVERED));
            assertThat(outcome.state().onHand()).isEqualTo(10);
            assertThat(outcome.state().hasSeen("c1")).isTrue();
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, Limits.MAX_QUANTITY + 1})
        void shouldRejectAQuantityOutOfRangeWithInvalidQuantity(final long quantity) {
            // given
            final InventoryCommand.UpdateItem update = update("c1", quantity);

            // when
            final StockOutcome outcome = StockRules.apply(stocked(10), update, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(update, RejectionReason.INVALID_QUANTITY));
            assertThat(outcome.state().onHand()).isEqualTo(10);
        }

        @Test
        void shouldRejectANegativePriceWithInvalidPrice() {
            // given
            final InventoryCommand.UpdateItem update = new InventoryCommand.UpdateItem("c1", PRODUCT, null, null,
                null, new BigDecimal("-1"), null, cause("c1"));

            // when
            final StockOutcome outcome = StockRules.apply(stocked(10), update, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(update, RejectionReason.INVALID_PRICE));
            assertThat(outcome.state().item().price()).isEqualTo(PRICE);
        }
    }

    @Nested
    class Adjust {

        @ParameterizedTest
        @ValueSource(longs = {-10, -3, 0, 4, Limits.MAX_QUANTITY - 10})
        void shouldAdjustTheStockByTheDeltaAndEmitItemUpdated(final long delta) {
            // given
            final InventoryCommand.AdjustStock adjust = adjust("c1", delta);

            // when
            final StockOutcome outcome = StockRules.apply(stocked(10), adjust, NOW);

            // then
            assertThat(outcome.state().onHand()).isEqualTo(10 + delta);
            assertThat(outcome.events()).containsExactly(new Emitted(new InventoryEvent.ItemUpdated(PRODUCT,
                "Widget", "Acme", 10 + delta, PRICE, "EUR", 0, 10 + delta), adjust.cause()));
        }

        @Test
        void shouldReportReservedAndAvailableUnitsAfterAnAdjustment() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(4, 1)), Map.of());

            // when
            final StockOutcome outcome = StockRules.apply(state, adjust("c1", 5), NOW);

            // then
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.ItemUpdated(PRODUCT, "Widget", "Acme", 15, PRICE, "EUR", 4, 11)));
        }

        @ParameterizedTest
        @ValueSource(longs = {-11, Limits.MAX_QUANTITY - 9, Limits.MAX_QUANTITY + 1, -Limits.MAX_QUANTITY - 1,
            Long.MAX_VALUE, Long.MIN_VALUE})
        void shouldRejectAnAdjustmentOutOfRangeOrBelowZeroWithInvalidQuantity(final long delta) {
            // given
            final InventoryCommand.AdjustStock adjust = adjust("c1", delta);

            // when
            final StockOutcome outcome = StockRules.apply(stocked(10), adjust, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(adjust, RejectionReason.INVALID_QUANTITY));
            assertThat(outcome.state().onHand()).isEqualTo(10);
        }

        @Test
        void shouldRejectAnAdjustmentThatUncoversHeldUnitsWithReservationsUncovered() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(4, 1)),
                Map.of("o2", new Allocation(2, 1)));
            final InventoryCommand.AdjustStock adjust = adjust("c1", -5);

            // when
            final StockOutcome outcome = StockRules.apply(state, adjust, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(adjust, RejectionReason.RESERVATIONS_UNCOVERED));
            assertThat(outcome.state().onHand()).isEqualTo(10);
        }
    }

    @Nested
    class Delete {

        @Test
        void shouldDeleteAProductWithoutReservationsAndEmitItemDeleted() {
            // given
            final InventoryCommand.DeleteItem delete = delete("c1");

            // when
            final StockOutcome outcome = StockRules.apply(stocked(10), delete, NOW);

            // then
            assertThat(outcome.state().exists()).isFalse();
            assertThat(outcome.state().deletedAt()).isEqualTo(NOW);
            assertThat(outcome.state().hasSeen("c1")).isTrue();
            assertThat(outcome.events())
                .containsExactly(new Emitted(new InventoryEvent.ItemDeleted(PRODUCT), delete.cause()));
        }

        @Test
        void shouldRejectADeleteOfAProductWithReservationsWithReservationsUncovered() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(1, 1)), Map.of());
            final InventoryCommand.DeleteItem delete = delete("c1");

            // when
            final StockOutcome outcome = StockRules.apply(state, delete, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(delete, RejectionReason.RESERVATIONS_UNCOVERED));
            assertThat(outcome.state().exists()).isTrue();
        }

        @Test
        void shouldRejectADeleteOfAProductWithHeldUnitsWithReservationsUncovered() {
            // given
            final ProductState state = with(stocked(10), Map.of(), Map.of("o1", new Allocation(1, 1)));
            final InventoryCommand.DeleteItem delete = delete("c1");

            // when
            final StockOutcome outcome = StockRules.apply(state, delete, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(delete, RejectionReason.RESERVATIONS_UNCOVERED));
            assertThat(outcome.state().exists()).isTrue();
        }
    }

    @Nested
    class DuplicateCommands {

        @Test
        void shouldApplyARedeliveredAdjustmentOnce() {
            // given
            final ProductState once = StockRules.apply(stocked(10), adjust("c1", 5), NOW).state();

            // when
            final StockOutcome again = StockRules.apply(once, adjust("c1", 5), NOW);

            // then
            assertThat(once.onHand()).isEqualTo(15);
            assertThat(again).isEqualTo(unchanged());
        }

        @Test
        void shouldIgnoreARedeliveredCommandThatWasRejected() {
            // given
            final ProductState rejected = StockRules.apply(stocked(10), adjust("c1", -20), NOW).state();

            // when
            final StockOutcome again = StockRules.apply(rejected, adjust("c1", -20), NOW);

            // then
            assertThat(again).isEqualTo(unchanged());
        }

        @Test
        void shouldIgnoreARedeliveredCreateAfterTheProductWasDeleted() {
            // given
            final ProductState created = StockRules.apply(null, create("c1", 10), NOW).state();
            final ProductState deleted = StockRules.apply(created, delete("c2"), NOW).state();

            // when
            final StockOutcome again = StockRules.apply(deleted, create("c1", 10), NOW);

            // then
            assertThat(again).isEqualTo(unchanged());
        }

        @Test
        void shouldForgetTheOldestCommandIdBeyondTheRememberedLimit() {
            // given
            ProductState state = StockRules.apply(stocked(0), adjust("first", 1), NOW).state();
            for (int i = 0; i < Limits.REMEMBERED_EVENT_IDS; i++) {
                state = StockRules.apply(state, adjust("c" + (i + 1), 1), NOW).state();
            }

            // when
            final StockOutcome again = StockRules.apply(state, adjust("first", 1), NOW);

            // then
            assertThat(state.recentCommandIds()).hasSize(Limits.REMEMBERED_EVENT_IDS).doesNotContain("first");
            assertThat(again.state().onHand()).isEqualTo(Limits.REMEMBERED_EVENT_IDS + 2L);
        }
    }

    @Nested
    class Hold {

        @Test
        void shouldGrantAHoldAndCountItAtOnce() {
            // given
            final StockRequest.Hold hold = hold("o1", 1, 4);

            // when
            final StockOutcome outcome = StockRules.handle(stocked(10), hold);

            // then
            assertThat(outcome.state().holds()).containsExactly(Map.entry("o1", new Allocation(4, 1)));
            assertThat(outcome.state().available()).isEqualTo(6);
            assertThat(outcome.replies()).containsExactly(new StockReply("o1", PRODUCT, 1, true, null, 4, 6, false));
            assertThat(outcome.events()).isEmpty();
        }

        @Test
        void shouldGrantAHoldOfExactlyTheAvailableUnits() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o2", new Allocation(4, 1)));

            // when
            final StockOutcome outcome = StockRules.handle(state, hold("o3", 1, 3));

            // then
            assertThat(outcome.replies()).containsExactly(new StockReply("o3", PRODUCT, 1, true, null, 3, 0, false));
            assertThat(outcome.state().available()).isZero();
        }

        @Test
        void shouldRefuseAHoldBeyondTheAvailableUnitsWithInsufficientStockAndTheAvailableCount() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o2", new Allocation(4, 1)));

            // when
            final StockOutcome outcome = StockRules.handle(state, hold("o3", 1, 4));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o3", PRODUCT, 1, false, FailureReason.INSUFFICIENT_STOCK, 4, 3, false));
            assertThat(outcome.events()).isEmpty();
        }

        @Test
        void shouldRefuseAHoldForAProductNeverSeenWithUnknownProduct() {
            // when
            final StockOutcome outcome = StockRules.handle(null, hold("o1", 1, 1));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o1", PRODUCT, 1, false, FailureReason.UNKNOWN_PRODUCT, 1, 0, false));
        }

        @Test
        void shouldRefuseAHoldForADeletedProductWithUnknownProduct() {
            // given
            final ProductState deleted = StockRules.apply(stocked(10), delete("c1"), NOW).state();

            // when
            final StockOutcome outcome = StockRules.handle(deleted, hold("o1", 1, 1));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o1", PRODUCT, 1, false, FailureReason.UNKNOWN_PRODUCT, 1, 0, false));
        }

        @Test
        void shouldAnswerARedeliveredHoldAsBeforeWithoutCountingItTwice() {
            // given
            final StockOutcome first = StockRules.handle(stocked(10), hold("o1", 1, 4));

            // when
            final StockOutcome again = StockRules.handle(first.state(), hold("o1", 1, 4));

            // then
            assertThat(again.state()).isNull();
            assertThat(again.replies()).isEqualTo(first.replies());
            assertThat(first.state().held()).isEqualTo(4);
        }

        @Test
        void shouldNotHoldAgainWhenAHoldIsRedeliveredAfterItsConfirm() {
            // given
            final ProductState held = StockRules.handle(stocked(10), hold("o1", 1, 4)).state();
            final ProductState reserved = StockRules.handle(held, confirm("o1", 1)).state();

            // when
            final StockOutcome again = StockRules.handle(reserved, hold("o1", 1, 4));

            // then
            final ProductState after = again.state() == null ? reserved : again.state();
            assertThat(after.held()).isZero();
            assertThat(after.reserved()).isEqualTo(4);
            assertThat(after.available()).isEqualTo(6);
        }

        @Test
        void shouldReplaceAnOlderHoldOfTheSameOrderCountingItsUnitsAsAvailable() {
            // given
            final ProductState state = with(stocked(10), Map.of(), Map.of("o1", new Allocation(8, 1)));

            // when
            final StockOutcome outcome = StockRules.handle(state, hold("o1", 2, 9));

            // then
            assertThat(outcome.state().holds()).containsExactly(Map.entry("o1", new Allocation(9, 2)));
            assertThat(outcome.replies()).containsExactly(new StockReply("o1", PRODUCT, 2, true, null, 9, 1, false));
        }
    }

    @Nested
    class HoldAtOnce {

        @Test
        void shouldReserveAndAnnounceAtOnceAndSayItInTheReply() {
            // given
            final StockRequest.Hold hold = holdAtOnce("o1", 1, 4);

            // when
            final StockOutcome outcome = StockRules.handle(stocked(10), hold);

            // then
            assertThat(outcome.state().holds()).isEmpty();
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(4, 1)));
            assertThat(outcome.state().available()).isEqualTo(6);
            assertThat(outcome.replies()).containsExactly(new StockReply("o1", PRODUCT, 1, true, null, 4, 6, true));
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Reserved(PRODUCT, 4, "o1", "user-1", 6), hold.cause()));
        }

        @Test
        void shouldAddAnIncreaseReservedAtOnceToTheOrdersReservationAndAnnounceOnlyTheIncrease() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(3, 1)), Map.of());

            // when
            final StockOutcome outcome = StockRules.handle(state, holdAtOnce("o1", 2, 2));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(5, 2)));
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Reserved(PRODUCT, 2, "o1", "user-1", 5)));
        }

        @Test
        void shouldRefuseWithoutReservingWhenShort() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(7, 1)), Map.of());

            // when
            final StockOutcome outcome = StockRules.handle(state, holdAtOnce("o2", 1, 4));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o2", PRODUCT, 1, false, FailureReason.INSUFFICIENT_STOCK, 4, 3, false));
        }

        @Test
        void shouldAnswerARedeliveredHoldAtOnceAgainWithoutReservingOrAnnouncingTwice() {
            // given
            final StockOutcome first = StockRules.handle(stocked(10), holdAtOnce("o1", 1, 4));

            // when
            final StockOutcome again = StockRules.handle(first.state(), holdAtOnce("o1", 1, 4));

            // then
            assertThat(again.state()).isNull();
            assertThat(again.events()).isEmpty();
            assertThat(again.replies()).isEqualTo(first.replies());
        }

        @Test
        void shouldReleaseAReservationMadeAtOnceWithALaterStep() {
            // given
            final ProductState reserved = StockRules.handle(stocked(10), holdAtOnce("o1", 1, 4)).state();

            // when
            final StockOutcome outcome = StockRules.handle(reserved, release("o1", 2, StockRequest.Release.ALL));

            // then
            assertThat(outcome.state().reservations()).isEmpty();
            assertThat(outcome.state().available()).isEqualTo(10);
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Released(PRODUCT, 4, "o1", 10)));
        }
    }

    @Nested
    class Confirm {

        @Test
        void shouldMoveTheHoldIntoAReservationAndEmitReservedWithTheAvailableUnits() {
            // given
            final ProductState held = StockRules.handle(stocked(10), hold("o1", 1, 4)).state();
            final StockRequest.Confirm confirm = confirm("o1", 1);

            // when
            final StockOutcome outcome = StockRules.handle(held, confirm);

            // then
            assertThat(outcome.state().holds()).isEmpty();
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(4, 1)));
            assertThat(outcome.state().available()).isEqualTo(6);
            assertThat(outcome.replies()).isEmpty();
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Reserved(PRODUCT, 4, "o1", "user-1", 6), confirm.cause()));
        }

        @Test
        void shouldAddAConfirmedIncreaseToTheOrdersReservationAndAnnounceOnlyTheIncrease() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o1", new Allocation(2, 2)));

            // when
            final StockOutcome outcome = StockRules.handle(state, confirm("o1", 2));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(5, 2)));
            assertThat(outcome.state().holds()).isEmpty();
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Reserved(PRODUCT, 2, "o1", "user-1", 5)));
        }

        @Test
        void shouldIgnoreARedeliveredConfirm() {
            // given
            final ProductState held = StockRules.handle(stocked(10), hold("o1", 1, 4)).state();
            final ProductState reserved = StockRules.handle(held, confirm("o1", 1)).state();

            // when
            final StockOutcome again = StockRules.handle(reserved, confirm("o1", 1));

            // then
            assertThat(again).isEqualTo(unchanged());
        }

        @Test
        void shouldIgnoreAConfirmForAnotherStepThanTheHold() {
            // given
            final ProductState held = StockRules.handle(stocked(10), hold("o1", 2, 4)).state();

            // when
            final StockOutcome outcome = StockRules.handle(held, confirm("o1", 1));

            // then
            assertThat(outcome).isEqualTo(unchanged());
        }

        @Test
        void shouldIgnoreConfirmAbortAndReleaseForAProductNeverSeen() {
            // when / then
            assertThat(StockRules.handle(null, confirm("o1", 1))).isEqualTo(unchanged());
            assertThat(StockRules.handle(null, abort("o1", 1))).isEqualTo(unchanged());
            assertThat(StockRules.handle(null, release("o1", 1, StockRequest.Release.ALL))).isEqualTo(unchanged());
        }
    }

    @Nested
    class Abort {

        @Test
        void shouldGiveTheHoldBackSilently() {
            // given
            final ProductState held = StockRules.handle(stocked(10), hold("o1", 1, 4)).state();

            // when
            final StockOutcome outcome = StockRules.handle(held, abort("o1", 1));

            // then
            assertThat(outcome.state().holds()).isEmpty();
            assertThat(outcome.state().available()).isEqualTo(10);
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.replies()).isEmpty();
        }

        @Test
        void shouldKeepTheOrdersReservationWhenAnIncreaseIsAborted() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o1", new Allocation(2, 2)));

            // when
            final StockOutcome outcome = StockRules.handle(state, abort("o1", 2));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(3, 1)));
            assertThat(outcome.state().holds()).isEmpty();
        }

        @Test
        void shouldIgnoreAnAbortForAnotherStepOrARedeliveredOne() {
            // given
            final ProductState held = StockRules.handle(stocked(10), hold("o1", 2, 4)).state();
            final ProductState aborted = StockRules.handle(held, abort("o1", 2)).state();

            // when / then
            assertThat(StockRules.handle(held, abort("o1", 1))).isEqualTo(unchanged());
            assertThat(StockRules.handle(aborted, abort("o1", 2))).isEqualTo(unchanged());
        }
    }

    @Nested
    class Release {

        private final ProductState reserved = with(stocked(10), Map.of("o1", new Allocation(5, 1)), Map.of());

        @Test
        void shouldReleasePartOfAReservationAndEmitReleasedWithTheAvailableUnits() {
            // given
            final StockRequest.Release release = release("o1", 2, 2);

            // when
            final StockOutcome outcome = StockRules.handle(reserved, release);

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(3, 2)));
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Released(PRODUCT, 2, "o1", 7), release.cause()));
        }

        @Test
        void shouldReleaseEverythingTheOrderHoldsWhenAskedForAll() {
            // given
            final StockRequest.Release release = release("o1", 2, StockRequest.Release.ALL);

            // when
            final StockOutcome outcome = StockRules.handle(reserved, release);

            // then
            assertThat(outcome.state().reservations()).isEmpty();
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Released(PRODUCT, 5, "o1", 10), release.cause()));
        }

        @Test
        void shouldReleaseNoMoreThanTheOrderHasReserved() {
            // when
            final StockOutcome outcome = StockRules.handle(reserved, release("o1", 2, 8));

            // then
            assertThat(outcome.state().reservations()).isEmpty();
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Released(PRODUCT, 5, "o1", 10)));
        }

        @Test
        void shouldNotTouchAnotherOrdersReservationOrHold() {
            // given
            final ProductState state = with(stocked(10),
                Map.of("o1", new Allocation(5, 1), "o2", new Allocation(2, 1)), Map.of("o3", new Allocation(1, 1)));

            // when
            final StockOutcome outcome = StockRules.handle(state, release("o1", 2, StockRequest.Release.ALL));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o2", new Allocation(2, 1)));
            assertThat(outcome.state().holds()).containsExactly(Map.entry("o3", new Allocation(1, 1)));
            assertThat(outcome.state().available()).isEqualTo(7);
        }

        @Test
        void shouldApplyARedeliveredPartialReleaseOnce() {
            // given
            final ProductState once = StockRules.handle(reserved, release("o1", 2, 2)).state();

            // when
            final StockOutcome again = StockRules.handle(once, release("o1", 2, 2));

            // then
            assertThat(once.reserved()).isEqualTo(3);
            assertThat(again).isEqualTo(unchanged());
        }

        @Test
        void shouldApplyARedeliveredReleaseOfAllOnce() {
            // given
            final ProductState once = StockRules.handle(reserved, release("o1", 2, StockRequest.Release.ALL)).state();

            // when
            final StockOutcome again = StockRules.handle(once, release("o1", 2, StockRequest.Release.ALL));

            // then
            assertThat(again).isEqualTo(unchanged());
        }

        @Test
        void shouldIgnoreAReleaseThatIsNotNewerThanTheReservation() {
            // when
            final StockOutcome outcome = StockRules.handle(reserved, release("o1", 1, 2));

            // then
            assertThat(outcome).isEqualTo(unchanged());
        }

        @Test
        void shouldIgnoreAReleaseForAnOrderWithoutReservation() {
            // when
            final StockOutcome outcome = StockRules.handle(reserved, release("o2", 2, StockRequest.Release.ALL));

            // then
            assertThat(outcome).isEqualTo(unchanged());
        }
    }

    @Nested
    class Invariant {

        @Test
        void shouldPassForAStateWhoseAllocationsAreCovered() {
            // given
            final ProductState state = with(stocked(10), Map.of("o1", new Allocation(6, 1)),
                Map.of("o2", new Allocation(4, 1)));

            // when / then
            assertThat(state.checkInvariant()).isSameAs(state);
        }

        @Test
        void shouldThrowWhenReservedAndHeldUnitsExceedTheStock() {
            // given
            final ProductState state = with(stocked(5), Map.of("o1", new Allocation(4, 1)),
                Map.of("o2", new Allocation(2, 1)));

            // when / then
            assertThatThrownBy(state::checkInvariant)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stock invariant broken: onHand=5 reserved=4 held=2");
        }

        @Test
        void shouldThrowWhenAllocationsAreNegative() {
            // given
            final ProductState state = with(stocked(5), Map.of("o1", new Allocation(-1, 1)), Map.of());

            // when / then
            assertThatThrownBy(state::checkInvariant).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldThrowWhenADeletedProductStillHasAllocations() {
            // given
            final ProductState state = with(stocked(5), Map.of(), Map.of("o1", new Allocation(1, 1))).deleted(NOW);

            // when / then
            assertThatThrownBy(state::checkInvariant).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldKeepTheInvariantThroughEveryRule() {
            // given
            ProductState state = StockRules.apply(null, create("c1", 10), NOW).state();

            // when
            state = StockRules.handle(state, hold("o1", 1, 6)).state();
            state = StockRules.handle(state, hold("o2", 1, 4)).state();
            state = StockRules.handle(state, confirm("o1", 1)).state();
            state = StockRules.handle(state, abort("o2", 1)).state();
            state = StockRules.apply(state, adjust("c2", -4), NOW).state();
            state = StockRules.handle(state, release("o1", 2, 1)).state();

            // then
            assertThat(state.checkInvariant()).isSameAs(state);
            assertThat(state.onHand()).isEqualTo(6);
            assertThat(state.reserved()).isEqualTo(5);
            assertThat(state.held()).isZero();
            assertThat(state.available()).isEqualTo(1);
        }
    }
}
