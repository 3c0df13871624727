package io.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        return new StockRequest.Abort(orderId, PRODUCT, step, 0, cause("abort-" + orderId + "-" + step));
    }

    private static StockRequest.Release release(final String orderId, final long step, final long quantity) {
        return new StockRequest.Release(orderId, PRODUCT, step, quantity, ReleaseReason.CANCELLED,
            cause("release-" + orderId + "-" + step));
    }

    private static InventoryItem item(final long onHand) {
        return new InventoryItem(PRODUCT, "Widget", "Acme", PRICE, "EUR", onHand);
    }

    /** A product with {@code onHand} units, created by command {@code c0}. */
    private static ProductState stocked(final long onHand) {
        return ProductState.of(item(onHand)).remembering("c0");
    }

    /**
     * A product's state with its orders' shares, as the stock task keeps them (the {@code inventory} and
     * {@code allocations} stores); requests go through {@link #handle(Shelf, StockRequest)} as the task applies them.
     */
    private record Shelf(ProductState state, Map<String, OrderShare> shares) {

        Shelf {
            shares = Map.copyOf(shares);
        }

        Map<String, Allocation> reservations() {
            final Map<String, Allocation> reservations = new TreeMap<>();
            shares.forEach((orderId, share) -> {
                if (share.reserved() != null) {
                    reservations.put(orderId, share.reserved());
                }
            });
            return reservations;
        }

        Map<String, Allocation> holds() {
            final Map<String, Allocation> holds = new TreeMap<>();
            shares.forEach((orderId, share) -> {
                if (share.held() != null) {
                    holds.put(orderId, share.held());
                }
            });
            return holds;
        }

        long onHand() {
            return state.onHand();
        }

        long reserved() {
            return state.reserved();
        }

        long held() {
            return state.held();
        }

        long available() {
            return state.available();
        }

        Shelf deleted(final long at) {
            return new Shelf(state.deleted(at), shares);
        }

        Shelf checkInvariant() {
            state.checkInvariant();
            return this;
        }

        Shelf apply(final InventoryCommand command) {
            final StockOutcome outcome = StockRules.apply(state, command, NOW);
            return outcome.state() == null ? this : new Shelf(outcome.state(), shares);
        }
    }

    /** What a request did: the shelf after it ({@code null} when nothing changed), replies and events. */
    private record Handled(Shelf state, List<StockReply> replies, List<Emitted> events) {
    }

    private static Handled handle(final ProductState state, final StockRequest request) {
        return handle(state == null ? null : new Shelf(state, Map.of()), request);
    }

    private static Handled handle(final Shelf shelf, final StockRequest request) {
        final OrderShare share = shelf == null ? OrderShare.NONE
            : shelf.shares().getOrDefault(request.orderId(), OrderShare.NONE);
        final StockOutcome outcome = StockRules.handle(shelf == null ? null : shelf.state(), share, request);
        if (outcome.state() == null && outcome.share() == null) {
            return new Handled(null, outcome.replies(), outcome.events());
        }
        final Map<String, OrderShare> shares = new HashMap<>(shelf.shares());
        if (outcome.share() != null) {
            if (outcome.share().isEmpty()) {
                shares.remove(request.orderId());
            } else {
                shares.put(request.orderId(), outcome.share());
            }
        }
        return new Handled(new Shelf(outcome.state() == null ? shelf.state() : outcome.state(), shares),
            outcome.replies(), outcome.events());
    }

    /** A product with these orders' shares, its totals counted from them. */
    private static Shelf with(final ProductState state, final Map<String, Allocation> reservations,
                              final Map<String, Allocation> holds) {
        final Map<String, OrderShare> shares = new HashMap<>();
        reservations.forEach((orderId, reserved) -> shares.put(orderId, new OrderShare(reserved, null)));
        holds.forEach((orderId, held) -> shares.merge(orderId, new OrderShare(null, held),
            (a, b) -> new OrderShare(a.reserved(), b.held())));
        final long reserved = reservations.values().stream().mapToLong(Allocation::quantity).sum();
        final long held = holds.values().stream().mapToLong(Allocation::quantity).sum();
        return new Shelf(new ProductState(state.item(), reserved, held, state.recentCommandIds(), state.deletedAt()), shares);
    }

    private static Emitted rejected(final InventoryCommand command, final RejectionReason reason) {
        return new Emitted(new InventoryEvent.CommandRejected(PRODUCT, command.commandId(), command.commandType(),
            reason), command.cause());
    }

    private static StockOutcome unchanged() {
        return new StockOutcome(null, null, List.of(), List.of());
    }

    private static Handled nothing() {
        return new Handled(null, List.of(), List.of());
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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(2, 1)),
                Map.of("o2", new Allocation(3, 1)));
            final InventoryCommand.UpdateItem update = new InventoryCommand.UpdateItem("c1", PRODUCT, "Better widget",
                null, null, null, null, cause("c1"));

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), update, NOW);

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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(2, 1)),
                Map.of("o2", new Allocation(3, 1)));

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), update("c1", 5L), NOW);

            // then
            assertThat(outcome.state().onHand()).isEqualTo(5);
            assertThat(outcome.state().available()).isZero();
        }

        @Test
        void shouldRejectAQuantityBelowReservedAndHeldUnitsWithReservationsUncovered() {
            // given
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(2, 1)),
                Map.of("o2", new Allocation(3, 1)));
            final InventoryCommand.UpdateItem update = update("c1", 4L);

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), update, NOW);

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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(4, 1)), Map.of());

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), adjust("c1", 5), NOW);

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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(4, 1)),
                Map.of("o2", new Allocation(2, 1)));
            final InventoryCommand.AdjustStock adjust = adjust("c1", -5);

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), adjust, NOW);

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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(1, 1)), Map.of());
            final InventoryCommand.DeleteItem delete = delete("c1");

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), delete, NOW);

            // then
            assertThat(outcome.events()).containsExactly(rejected(delete, RejectionReason.RESERVATIONS_UNCOVERED));
            assertThat(outcome.state().exists()).isTrue();
        }

        @Test
        void shouldRejectADeleteOfAProductWithHeldUnitsWithReservationsUncovered() {
            // given
            final Shelf state = with(stocked(10), Map.of(), Map.of("o1", new Allocation(1, 1)));
            final InventoryCommand.DeleteItem delete = delete("c1");

            // when
            final StockOutcome outcome = StockRules.apply(state.state(), delete, NOW);

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
            final Handled outcome = handle(stocked(10), hold);

            // then
            assertThat(outcome.state().holds()).containsExactly(Map.entry("o1", new Allocation(4, 1)));
            assertThat(outcome.state().available()).isEqualTo(6);
            assertThat(outcome.replies()).containsExactly(new StockReply("o1", PRODUCT, 1, true, null, 4, 6, false));
            assertThat(outcome.events()).isEmpty();
        }

        @Test
        void shouldGrantAHoldOfExactlyTheAvailableUnits() {
            // given
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o2", new Allocation(4, 1)));

            // when
            final Handled outcome = handle(state, hold("o3", 1, 3));

            // then
            assertThat(outcome.replies()).containsExactly(new StockReply("o3", PRODUCT, 1, true, null, 3, 0, false));
            assertThat(outcome.state().available()).isZero();
        }

        @Test
        void shouldRefuseAHoldBeyondTheAvailableUnitsWithInsufficientStockAndTheAvailableCount() {
            // given
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o2", new Allocation(4, 1)));

            // when
            final Handled outcome = handle(state, hold("o3", 1, 4));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o3", PRODUCT, 1, false, FailureReason.INSUFFICIENT_STOCK, 4, 3, false));
            assertThat(outcome.events()).isEmpty();
        }

        @Test
        void shouldRefuseAHoldForAProductNeverSeenWithUnknownProduct() {
            // when
            final Handled outcome = handle((ProductState) null, hold("o1", 1, 1));

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
            final Handled outcome = handle(deleted, hold("o1", 1, 1));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o1", PRODUCT, 1, false, FailureReason.UNKNOWN_PRODUCT, 1, 0, false));
        }

        @Test
        void shouldAnswerARedeliveredHoldAsBeforeWithoutCountingItTwice() {
            // given
            final Handled first = handle(stocked(10), hold("o1", 1, 4));

            // when
            final Handled again = handle(first.state(), hold("o1", 1, 4));

            // then
            assertThat(again.state()).isNull();
            assertThat(again.replies()).isEqualTo(first.replies());
            assertThat(first.state().held()).isEqualTo(4);
        }

        @Test
        void shouldNotHoldAgainWhenAHoldIsRedeliveredAfterItsConfirm() {
            // given
            final Shelf held = handle(stocked(10), hold("o1", 1, 4)).state();
            final Shelf reserved = handle(held, confirm("o1", 1)).state();

            // when
            final Handled again = handle(reserved, hold("o1", 1, 4));

            // then
            final Shelf after = again.state() == null ? reserved : again.state();
            assertThat(after.held()).isZero();
            assertThat(after.reserved()).isEqualTo(4);
            assertThat(after.available()).isEqualTo(6);
        }

        @Test
        void shouldReplaceAnOlderHoldOfTheSameOrderCountingItsUnitsAsAvailable() {
            // given
            final Shelf state = with(stocked(10), Map.of(), Map.of("o1", new Allocation(8, 1)));

            // when
            final Handled outcome = handle(state, hold("o1", 2, 9));

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
            final Handled outcome = handle(stocked(10), hold);

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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(3, 1)), Map.of());

            // when
            final Handled outcome = handle(state, holdAtOnce("o1", 2, 2));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(5, 2)));
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Reserved(PRODUCT, 2, "o1", "user-1", 5)));
        }

        @Test
        void shouldRefuseWithoutReservingWhenShort() {
            // given
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(7, 1)), Map.of());

            // when
            final Handled outcome = handle(state, holdAtOnce("o2", 1, 4));

            // then
            assertThat(outcome.state()).isNull();
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.replies()).containsExactly(
                new StockReply("o2", PRODUCT, 1, false, FailureReason.INSUFFICIENT_STOCK, 4, 3, false));
        }

        @Test
        void shouldAnswerARedeliveredHoldAtOnceAgainWithoutReservingOrAnnouncingTwice() {
            // given
            final Handled first = handle(stocked(10), holdAtOnce("o1", 1, 4));

            // when
            final Handled again = handle(first.state(), holdAtOnce("o1", 1, 4));

            // then
            assertThat(again.state()).isNull();
            assertThat(again.events()).isEmpty();
            assertThat(again.replies()).isEqualTo(first.replies());
        }

        @Test
        void shouldReleaseAReservationMadeAtOnceWithALaterStep() {
            // given
            final Shelf reserved = handle(stocked(10), holdAtOnce("o1", 1, 4)).state();

            // when
            final Handled outcome = handle(reserved, release("o1", 2, StockRequest.Release.ALL));

            // then
            assertThat(outcome.state().reservations()).isEmpty();
            assertThat(outcome.state().available()).isEqualTo(10);
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Released(PRODUCT, 4, "o1", 10, ReleaseReason.CANCELLED)));
        }
    }

    @Nested
    class Confirm {

        @Test
        void shouldMoveTheHoldIntoAReservationAndEmitReservedWithTheAvailableUnits() {
            // given
            final Shelf held = handle(stocked(10), hold("o1", 1, 4)).state();
            final StockRequest.Confirm confirm = confirm("o1", 1);

            // when
            final Handled outcome = handle(held, confirm);

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
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o1", new Allocation(2, 2)));

            // when
            final Handled outcome = handle(state, confirm("o1", 2));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(5, 2)));
            assertThat(outcome.state().holds()).isEmpty();
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Reserved(PRODUCT, 2, "o1", "user-1", 5)));
        }

        @Test
        void shouldIgnoreARedeliveredConfirm() {
            // given
            final Shelf held = handle(stocked(10), hold("o1", 1, 4)).state();
            final Shelf reserved = handle(held, confirm("o1", 1)).state();

            // when
            final Handled again = handle(reserved, confirm("o1", 1));

            // then
            assertThat(again).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreAConfirmForAnotherStepThanTheHold() {
            // given
            final Shelf held = handle(stocked(10), hold("o1", 2, 4)).state();

            // when
            final Handled outcome = handle(held, confirm("o1", 1));

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreConfirmAbortAndReleaseForAProductNeverSeen() {
            // when / then
            assertThat(handle((ProductState) null, confirm("o1", 1))).isEqualTo(nothing());
            assertThat(handle((ProductState) null, abort("o1", 1))).isEqualTo(nothing());
            assertThat(handle((ProductState) null, release("o1", 1, StockRequest.Release.ALL))).isEqualTo(nothing());
        }
    }

    @Nested
    class Abort {

        @Test
        void shouldGiveTheHoldBackSilently() {
            // given
            final Shelf held = handle(stocked(10), hold("o1", 1, 4)).state();

            // when
            final Handled outcome = handle(held, abort("o1", 1));

            // then
            assertThat(outcome.state().holds()).isEmpty();
            assertThat(outcome.state().available()).isEqualTo(10);
            assertThat(outcome.events()).isEmpty();
            assertThat(outcome.replies()).isEmpty();
        }

        @Test
        void shouldKeepTheOrdersReservationWhenAnIncreaseIsAborted() {
            // given
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(3, 1)),
                Map.of("o1", new Allocation(2, 2)));

            // when
            final Handled outcome = handle(state, abort("o1", 2));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(3, 1)));
            assertThat(outcome.state().holds()).isEmpty();
        }

        @Test
        void shouldIgnoreAnAbortForAnotherStepOrARedeliveredOne() {
            // given
            final Shelf held = handle(stocked(10), hold("o1", 2, 4)).state();
            final Shelf aborted = handle(held, abort("o1", 2)).state();

            // when / then
            assertThat(handle(held, abort("o1", 1))).isEqualTo(nothing());
            assertThat(handle(aborted, abort("o1", 2))).isEqualTo(nothing());
        }
    }

    @Nested
    class Release {

        private final Shelf reserved = with(stocked(10), Map.of("o1", new Allocation(5, 1)), Map.of());

        @Test
        void shouldReleasePartOfAReservationAndEmitReleasedWithTheAvailableUnits() {
            // given
            final StockRequest.Release release = release("o1", 2, 2);

            // when
            final Handled outcome = handle(reserved, release);

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o1", new Allocation(3, 2)));
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Released(PRODUCT, 2, "o1", 7, ReleaseReason.CANCELLED), release.cause()));
        }

        @Test
        void shouldReleaseEverythingTheOrderHoldsWhenAskedForAll() {
            // given
            final StockRequest.Release release = release("o1", 2, StockRequest.Release.ALL);

            // when
            final Handled outcome = handle(reserved, release);

            // then
            assertThat(outcome.state().reservations()).isEmpty();
            assertThat(outcome.events()).containsExactly(
                new Emitted(new InventoryEvent.Released(PRODUCT, 5, "o1", 10, ReleaseReason.CANCELLED), release.cause()));
        }

        @Test
        void shouldReleaseNoMoreThanTheOrderHasReserved() {
            // when
            final Handled outcome = handle(reserved, release("o1", 2, 8));

            // then
            assertThat(outcome.state().reservations()).isEmpty();
            assertThat(outcome.events()).singleElement().satisfies(emitted -> assertThat(emitted.event())
                .isEqualTo(new InventoryEvent.Released(PRODUCT, 5, "o1", 10, ReleaseReason.CANCELLED)));
        }

        @Test
        void shouldNotTouchAnotherOrdersReservationOrHold() {
            // given
            final Shelf state = with(stocked(10),
                Map.of("o1", new Allocation(5, 1), "o2", new Allocation(2, 1)), Map.of("o3", new Allocation(1, 1)));

            // when
            final Handled outcome = handle(state, release("o1", 2, StockRequest.Release.ALL));

            // then
            assertThat(outcome.state().reservations()).containsExactly(Map.entry("o2", new Allocation(2, 1)));
            assertThat(outcome.state().holds()).containsExactly(Map.entry("o3", new Allocation(1, 1)));
            assertThat(outcome.state().available()).isEqualTo(7);
        }

        @Test
        void shouldApplyARedeliveredPartialReleaseOnce() {
            // given
            final Shelf once = handle(reserved, release("o1", 2, 2)).state();

            // when
            final Handled again = handle(once, release("o1", 2, 2));

            // then
            assertThat(once.reserved()).isEqualTo(3);
            assertThat(again).isEqualTo(nothing());
        }

        @Test
        void shouldApplyARedeliveredReleaseOfAllOnce() {
            // given
            final Shelf once = handle(reserved, release("o1", 2, StockRequest.Release.ALL)).state();

            // when
            final Handled again = handle(once, release("o1", 2, StockRequest.Release.ALL));

            // then
            assertThat(again).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreAReleaseThatIsNotNewerThanTheReservation() {
            // when
            final Handled outcome = handle(reserved, release("o1", 1, 2));

            // then
            assertThat(outcome).isEqualTo(nothing());
        }

        @Test
        void shouldIgnoreAReleaseForAnOrderWithoutReservation() {
            // when
            final Handled outcome = handle(reserved, release("o2", 2, StockRequest.Release.ALL));

            // then
            assertThat(outcome).isEqualTo(nothing());
        }
    }

    @Nested
    class Invariant {

        @Test
        void shouldPassForAStateWhoseAllocationsAreCovered() {
            // given
            final Shelf state = with(stocked(10), Map.of("o1", new Allocation(6, 1)),
                Map.of("o2", new Allocation(4, 1)));

            // when / then
            assertThat(state.checkInvariant()).isSameAs(state);
        }

        @Test
        void shouldThrowWhenReservedAndHeldUnitsExceedTheStock() {
            // given
            final Shelf state = with(stocked(5), Map.of("o1", new Allocation(4, 1)),
                Map.of("o2", new Allocation(2, 1)));

            // when / then
            assertThatThrownBy(state::checkInvariant)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stock invariant broken: onHand=5 reserved=4 held=2");
        }

        @Test
        void shouldThrowWhenAllocationsAreNegative() {
            // given
            final Shelf state = with(stocked(5), Map.of("o1", new Allocation(-1, 1)), Map.of());

            // when / then
            assertThatThrownBy(state::checkInvariant).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldThrowWhenADeletedProductStillHasAllocations() {
            // given
            final Shelf state = with(stocked(5), Map.of(), Map.of("o1", new Allocation(1, 1))).deleted(NOW);

            // when / then
            assertThatThrownBy(state::checkInvariant).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shouldKeepTheInvariantThroughEveryRule() {
            // given
            Shelf state = new Shelf(StockRules.apply(null, create("c1", 10), NOW).state(), Map.of());

            // when
            state = handle(state, hold("o1", 1, 6)).state();
            state = handle(state, hold("o2", 1, 4)).state();
            state = handle(state, confirm("o1", 1)).state();
            state = handle(state, abort("o2", 1)).state();
            state = state.apply(adjust("c2", -4));
            state = handle(state, release("o1", 2, 1)).state();

            // then
            assertThat(state.checkInvariant()).isSameAs(state);
            assertThat(state.onHand()).isEqualTo(6);
            assertThat(state.reserved()).isEqualTo(5);
            assertThat(state.held()).isZero();
            assertThat(state.available()).isEqualTo(1);
        }
    }
}
