package io.inventory.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.domain.FulfilmentFailureReason;
import io.inventory.domain.ReleaseReason;
import io.inventory.domain.Allocation;
import io.inventory.domain.Cause;
import io.inventory.domain.Emitted;
import io.inventory.domain.FailureReason;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.InventoryEvent;
import io.inventory.domain.InventoryItem;
import io.inventory.domain.OrderEvent;
import io.inventory.domain.OrderState;
import io.inventory.domain.OrderStatus;
import io.inventory.domain.OrderShare;
import io.inventory.domain.PendingStep;
import io.inventory.domain.ProductState;
import io.inventory.domain.RejectionReason;
import io.inventory.domain.StockReply;
import io.inventory.domain.StockRequest;
import io.inventory.topology.InputSerdes;
import io.inventory.topology.OrderInput;
import io.inventory.topology.StockInput;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire formats: every outbound event through {@link EnvelopeSerde}, and every internal type through
 * {@link JsonSerde} (round trip, null, malformed bytes).
 */
class SerdeTest {

    private static final String TOPIC = "any-topic";
    private static final long TIMESTAMP = Instant.parse("2025-10-30T10:15:30.123Z").toEpochMilli();
    private static final Cause CAUSE = new Cause("in-1", "corr-1", "user-9");
    private static final BigDecimal PRICE = new BigDecimal("9.99");

    private static JsonNode tree(final byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static JsonNode tree(final String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Envelopes {

        private final EnvelopeSerde serde = new EnvelopeSerde();

        static Stream<Arguments> outboundEvents() {
            return Stream.of(
                Arguments.of(new InventoryEvent.ItemCreated("p1", "Widget", "Acme", 10, PRICE, "EUR"),
                    "InventoryItemCreatedEvent",
                    "{\"aggregateId\":\"p1\",\"title\":\"Widget\",\"brand\":\"Acme\",\"quantity\":10,"
                        + "\"price\":9.99,\"currency\":\"EUR\"}"),
                Arguments.of(new InventoryEvent.ItemUpdated("p1", "Widget", "Acme", 7, PRICE, "EUR", 2, 5),
                    "InventoryItemUpdatedEvent",
                    "{\"aggregateId\":\"p1\",\"title\":\"Widget\",\"brand\":\"Acme\",\"quantity\":7,"
                        + "\"price\":9.99,\"currency\":\"EUR\",\"reserved\":2,\"available\":5}"),
                Arguments.of(new InventoryEvent.ItemDeleted("p1"), "InventoryItemDeletedEvent",
                    "{\"aggregateId\":\"p1\"}"),
                Arguments.of(new InventoryEvent.Reserved("p1", 3, "o1", "user-1", 7), "InventoryItemReservedEvent",
                    "{\"aggregateId\":\"p1\",\"quantity\":3,\"orderId\":\"o1\",\"userId\":\"user-1\","
                        + "\"available\":7}"),
                Arguments.of(new InventoryEvent.Released("p1", 3, "o1", 10, ReleaseReason.EXPIRED),
                    "InventoryItemReleasedEvent",
                    "{\"aggregateId\":\"p1\",\"quantity\":3,\"orderId\":\"o1\",\"available\":10,"
                        + "\"reason\":\"EXPIRED\"}"),
                Arguments.of(new InventoryEvent.Fulfilled("p1", 2, "o1", 8), "InventoryItemFulfilledEvent",
                    "{\"aggregateId\":\"p1\",\"quantity\":2,\"orderId\":\"o1\",\"onHand\":8}"),
                Arguments.of(new InventoryEvent.FulfilmentFailed("p1", "o1",
                        FulfilmentFailureReason.EXCEEDS_RESERVATION, 5L, 2L), "InventoryFulfilmentFailedEvent",
                    "{\"aggregateId\":\"p1\",\"orderId\":\"o1\",\"reason\":\"EXCEEDS_RESERVATION\","
                        + "\"requested\":5,\"reserved\":2}"),
                Arguments.of(new InventoryEvent.FulfilmentFailed(null, "o1", FulfilmentFailureReason.UNKNOWN_ORDER,
                        null, null), "InventoryFulfilmentFailedEvent",
                    "{\"orderId\":\"o1\",\"reason\":\"UNKNOWN_ORDER\",\"aggregateId\":null}"),
                Arguments.of(new InventoryEvent.Insufficient("p1", 5, 2, "o1"), "InsufficientInventoryEvent",
                    "{\"aggregateId\":\"p1\",\"requested\":5,\"available\":2,\"orderId\":\"o1\"}"),
                Arguments.of(new InventoryEvent.ReservationFailed("p1", FailureReason.INSUFFICIENT_STOCK, "o1"),
                    "InventoryReservationFailedEvent",
                    "{\"aggregateId\":\"p1\",\"reason\":\"INSUFFICIENT_STOCK\",\"orderId\":\"o1\"}"),
                Arguments.of(new InventoryEvent.CommandRejected("p1", "c1", "AdjustInventoryStock",
                        RejectionReason.INVALID_QUANTITY), "InventoryCommandRejectedEvent",
                    "{\"aggregateId\":\"p1\",\"commandId\":\"c1\",\"commandType\":\"AdjustInventoryStock\","
                        + "\"reason\":\"INVALID_QUANTITY\"}"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("outboundEvents")
        void shouldWriteEachOutboundEventAsAContractEnvelope(final InventoryEvent event, final String eventType,
                                                            final String payload) {
            // given
            final OutboundEvent outbound = OutboundEvent.of(new Emitted(event, CAUSE), TIMESTAMP);

            // when
            final JsonNode envelope = tree(serde.serialize(TOPIC, outbound));

            // then
            assertThat(envelope.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("eventId", "eventType", "timestamp", "payload", "metadata");
            assertThat(envelope.get("eventId").asText()).isEqualTo(outbound.eventId());
            assertThat(envelope.get("eventType").asText()).isEqualTo(eventType);
            assertThat(envelope.get("timestamp").asText()).isEqualTo("2025-10-30T10:15:30.123Z");
            assertThat(envelope.get("payload")).isEqualTo(tree(payload));
            assertThat(envelope.get("metadata"))
                .isEqualTo(tree("{\"userId\":\"user-9\",\"correlationId\":\"corr-1\",\"causationId\":\"in-1\"}"));
        }

        @Test
        void shouldOmitTheUserIdFromMetadataWhenTheCauseHadNone() {
            // given
            final OutboundEvent outbound = OutboundEvent.of(new Emitted(new InventoryEvent.ItemDeleted("p1"),
                Cause.of("in-1", null, null)), TIMESTAMP);

            // when
            final JsonNode envelope = tree(serde.serialize(TOPIC, outbound));

            // then
            assertThat(envelope.get("metadata"))
                .isEqualTo(tree("{\"correlationId\":\"in-1\",\"causationId\":\"in-1\"}"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1970-01-01T00:00:00.000Z", "2025-10-30T10:15:30.000Z", "2025-01-02T03:04:05.006Z",
            "2099-12-31T23:59:59.999Z"})
        void shouldWriteTheTimestampAsJavaScriptDateToJsonDoes(final String timestamp) {
            // given
            final long epochMillis = Instant.parse(timestamp).toEpochMilli();

            // when
            final String written = EnvelopeSerde.formatTimestamp(epochMillis);

            // then
            assertThat(written).isEqualTo(timestamp).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        }

        @Test
        void shouldWriteNullAsNull() {
            // when / then
            assertThat(serde.serialize(TOPIC, null)).isNull();
        }
    }

    @Nested
    class OutboundEventIds {

        private final Emitted reserved = new Emitted(new InventoryEvent.Reserved("p1", 3, "o1", "user-1", 7), CAUSE);

        @Test
        void shouldGiveTheSameEventTheSameIdWhenItIsProducedAgain() {
            // when
            final OutboundEvent first = OutboundEvent.of(reserved, TIMESTAMP);
            final OutboundEvent again = OutboundEvent.of(reserved, TIMESTAMP + 60_000);

            // then
            assertThat(again.eventId()).isEqualTo(first.eventId());
            assertThat(UUID.fromString(first.eventId()).toString()).isEqualTo(first.eventId());
            assertThat(again.timestamp()).isEqualTo(TIMESTAMP + 60_000);
            assertThat(again.event()).isEqualTo(reserved.event());
            assertThat(again.cause()).isEqualTo(CAUSE);
        }

        @Test
        void shouldGiveTheSameEventFromAnotherCauseAnotherId() {
            // given
            final Emitted fromAnotherCause = new Emitted(reserved.event(), new Cause("in-2", "corr-1", "user-9"));

            // when / then
            assertThat(OutboundEvent.of(fromAnotherCause, TIMESTAMP).eventId())
                .isNotEqualTo(OutboundEvent.of(reserved, TIMESTAMP).eventId());
        }

        @Test
        void shouldGiveDistinctEventsOfOneCauseDistinctIds() {
            // given
            final List<InventoryEvent> events = List.of(
                new InventoryEvent.Reserved("p1", 3, "o1", "user-1", 7),
                new InventoryEvent.Reserved("p2", 3, "o1", "user-1", 7),
                new InventoryEvent.Reserved("p1", 3, "o2", "user-1", 7),
                new InventoryEvent.Released("p1", 3, "o1", 7, ReleaseReason.CANCELLED),
                new InventoryEvent.Insufficient("p1", 3, 1, "o1"),
                new InventoryEvent.ReservationFailed("p1", FailureReason.INSUFFICIENT_STOCK, "o1"),
                new InventoryEvent.ItemUpdated("p1", "Widget", "Acme", 7, PRICE, "EUR", 0, 7));

            // when
            final List<String> ids = events.stream()
                .map(event -> OutboundEvent.of(new Emitted(event, CAUSE), TIMESTAMP).eventId()).toList();

            // then
            assertThat(ids).doesNotHaveDuplicates();
        }
    }

    @Nested
    class InternalTypes {

        private static final Cause ORDER_CAUSE = Cause.of("e1", null, "user-1");
        private static final Cause NO_USER = Cause.of("e2", "corr-2", null);

        private static final OrderEvent.Placed PLACED = new OrderEvent.Placed("e1", "o1", "user-1",
            Map.of("p2", 2L, "p1", 1L), List.of("p9"), ORDER_CAUSE);
        private static final OrderEvent.Changed CHANGED = new OrderEvent.Changed("e2", "o1", "user-1",
            Map.of("p1", 4L), List.of(), NO_USER);
        private static final OrderEvent.Cancelled CANCELLED = new OrderEvent.Cancelled("e3", "o1", "user-1",
            "customer asked", Cause.of("e3", null, "user-1"));
        private static final OrderEvent.Cancelled CANCELLED_WITHOUT_REASON = new OrderEvent.Cancelled("e4", "o1",
            "user-1", null, NO_USER);

        private static final StockRequest.Hold HOLD = new StockRequest.Hold("o1", "p1", 2, 3, true, "user-1", ORDER_CAUSE);
        private static final StockReply GRANTED = StockReply.granted(HOLD, 7);
        private static final StockReply REFUSED = StockReply.refused(
            new StockRequest.Hold("o1", "p2", 2, 5, false, "user-1", ORDER_CAUSE), FailureReason.INSUFFICIENT_STOCK, 1);

        private static <T> T roundTrip(final Class<T> type, final T value) {
            return roundTrip(new JsonSerde<>(type), value);
        }

        private static <T> T roundTrip(final Serde<T> serde, final T value) {
            return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, value));
        }

        @Test
        void shouldRoundTripAnOrderStateWithAPendingStepAndEveryKindOfDeferredEvent() {
            // given
            final PendingStep pending = new PendingStep(PendingStep.Kind.UPDATE, 2, Map.of("p1", 3L, "p2", 5L),
                Map.of("p1", 3L, "p2", 5L), Map.of("p1", GRANTED, "p2", REFUSED), ORDER_CAUSE, NO_USER, 1_761_819_331_000L);
            final OrderState state = new OrderState("o1", "user-1", true, OrderStatus.RESERVED, Map.of("p1", 1L), 2,
                pending, List.of(PLACED, CHANGED, CANCELLED, CANCELLED_WITHOUT_REASON), List.of("e1", "e2"),
                1_761_819_330_000L, Map.of("p2", 4L), List.of("p3"), 1_761_819_332_000L, ORDER_CAUSE);

            // when / then
            assertThat(roundTrip(OrderState.class, state)).isEqualTo(state);
        }

        @Test
        void shouldRoundTripAnOrderStateWithoutPendingStep() {
            // given
            final OrderState state = OrderState.unknown("o1", 5L);

            // when / then
            assertThat(roundTrip(OrderState.class, state)).isEqualTo(state);
        }

        @Test
        void shouldRoundTripAProductStateWithReservedAndHeldUnits() {
            // given
            final ProductState state = new ProductState(new InventoryItem("p1", "Widget", "Acme", PRICE, "EUR", 10),
                5, 1, List.of("c1", "c2"), 0L);

            // when / then
            assertThat(roundTrip(ProductState.class, state)).isEqualTo(state);
        }

        @Test
        void shouldWriteAProductStateWithItsTotalsOnly() throws IOException {
            // given
            final ProductState state = new ProductState(new InventoryItem("p1", "Widget", "Acme", PRICE, "EUR", 10),
                5, 1, List.of("c1"), 0L);

            // when
            final JsonNode written = Json.MAPPER.readTree(new JsonSerde<>(ProductState.class).serializer()
                .serialize(TOPIC, state));

            // then
            assertThat(written.has("reservations")).isFalse();
            assertThat(written.has("holds")).isFalse();
            assertThat(written.get("reservedUnits").asLong()).isEqualTo(5);
        }

        @Test
        void shouldRoundTripAnOrdersShareOfAProduct() {
            // given
            final OrderShare share = new OrderShare(new Allocation(3, 1), new Allocation(2, 4));

            // when / then
            assertThat(roundTrip(OrderShare.class, share)).isEqualTo(share);
            assertThat(roundTrip(OrderShare.class, new OrderShare(null, new Allocation(1, 2))))
                .isEqualTo(new OrderShare(null, new Allocation(1, 2)));
        }

        @Test
        void shouldRoundTripADeletedProductState() {
            // given
            final ProductState state = new ProductState(null, 0, 0, List.of("c1"), 1_761_819_330_000L);

            // when / then
            assertThat(roundTrip(ProductState.class, state)).isEqualTo(state);
        }

        static Stream<OrderInput> orderInputs() {
            return Stream.of(new OrderInput.Event(PLACED), new OrderInput.Event(CHANGED),
                new OrderInput.Event(CANCELLED), new OrderInput.Event(CANCELLED_WITHOUT_REASON),
                new OrderInput.Reply(GRANTED), new OrderInput.Reply(REFUSED));
        }

        @ParameterizedTest
        @MethodSource("orderInputs")
        void shouldRoundTripEveryOrderInput(final OrderInput input) {
            // when / then
            assertThat(roundTrip(InputSerdes.ORDER_INPUT, input)).isEqualTo(input);
        }

        static Stream<StockInput> stockInputs() {
            return Stream.of(
                new StockInput.Command(new InventoryCommand.CreateItem("c1", "p1", "Widget", "Acme", 10, PRICE, "EUR",
                    NO_USER)),
                new StockInput.Command(new InventoryCommand.UpdateItem("c2", "p1", "Gadget", "Globex", 7L,
                    new BigDecimal("12.50"), "USD", ORDER_CAUSE)),
                new StockInput.Command(new InventoryCommand.UpdateItem("c3", "p1", null, null, null, null, null,
                    NO_USER)),
                new StockInput.Command(new InventoryCommand.DeleteItem("c4", "p1", NO_USER)),
                new StockInput.Command(new InventoryCommand.AdjustStock("c5", "p1", -4, NO_USER)),
                new StockInput.Request(HOLD),
                new StockInput.Request(new StockRequest.Confirm("o1", "p1", 2, "user-1", ORDER_CAUSE)),
                new StockInput.Request(new StockRequest.Abort("o1", "p1", 2, 3, ORDER_CAUSE)),
                new StockInput.Request(new StockRequest.Release("o1", "p1", 3, 2, ReleaseReason.UPDATED, ORDER_CAUSE)),
                new StockInput.Request(new StockRequest.Release("o1", "p1", 4, StockRequest.Release.ALL,
                    ReleaseReason.EXPIRED, NO_USER)),
                new StockInput.Request(new StockRequest.Fulfil("o1", "p1", 5, 2, ORDER_CAUSE)));
        }

        @ParameterizedTest
        @MethodSource("stockInputs")
        void shouldRoundTripEveryStockInput(final StockInput input) {
            // when / then
            assertThat(roundTrip(InputSerdes.STOCK_INPUT, input)).isEqualTo(input);
        }

        @Test
        void shouldReadAHoldAndAReplyWrittenBeforeHoldsCouldBeReservedAtOnceAsTwoPhase() {
            // given: records an older version left in the internal topics during an upgrade
            final byte[] hold = ("{\"request\":{\"@type\":\"hold\",\"orderId\":\"o1\",\"productId\":\"p1\","
                + "\"step\":1,\"quantity\":2,\"cause\":{\"eventId\":\"e1\"}}}").getBytes(StandardCharsets.UTF_8);
            final byte[] reply = ("{\"reply\":{\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":1,\"granted\":true,"
                + "\"requested\":2,\"available\":5}}").getBytes(StandardCharsets.UTF_8);

            // when
            final StockInput input = InputSerdes.STOCK_INPUT.deserializer().deserialize(TOPIC, hold);
            final OrderInput answer = InputSerdes.ORDER_INPUT.deserializer().deserialize(TOPIC, reply);

            // then
            assertThat(input).isInstanceOfSatisfying(StockInput.Request.class, request ->
                assertThat(request.value()).isInstanceOfSatisfying(StockRequest.Hold.class, read ->
                    assertThat(read.atOnce()).isFalse()));
            assertThat(answer).isInstanceOfSatisfying(OrderInput.Reply.class, read -> {
                assertThat(read.value().granted()).isTrue();
                assertThat(read.value().reserved()).isFalse();
            });
        }

        static Stream<Arguments> internalTypes() {
            return Stream.of(
                Arguments.of(OrderState.class, new JsonSerde<>(OrderState.class)),
                Arguments.of(ProductState.class, new JsonSerde<>(ProductState.class)),
                Arguments.of(OrderInput.class, InputSerdes.ORDER_INPUT),
                Arguments.of(StockInput.class, InputSerdes.STOCK_INPUT));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("internalTypes")
        void shouldWriteAndReadNullAsNull(final Class<?> type, final Serde<?> serde) {
            // when / then
            assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
            assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        }

        static Stream<Arguments> malformed() {
            return internalTypes().flatMap(type -> Stream.of("", "{not json", "[1, 2]", "\"text\"")
                .map(text -> Arguments.of(type.get()[0], type.get()[1], text)));
        }

        @ParameterizedTest(name = "{0} from {2}")
        @MethodSource("malformed")
        void shouldFailWithSerializationExceptionOnMalformedBytes(final Class<?> type, final Serde<?> serde,
                                                                 final String text) {
            // given
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

            // when / then
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(type.getSimpleName());
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"event\":null,\"reply\":null}",
            "{\"event\":{\"@type\":\"cancelled\",\"eventId\":\"e1\",\"orderId\":\"o1\",\"userId\":\"u1\","
                + "\"cause\":{\"eventId\":\"e1\"}},\"reply\":{\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":1,"
                + "\"granted\":true,\"requested\":2,\"available\":5}}"})
        void shouldFailWithSerializationExceptionOnAnOrderInputWithNeitherOrBothCasesSet(final String text) {
            // given
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

            // when / then
            assertThatThrownBy(() -> InputSerdes.ORDER_INPUT.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("OrderInput").hasMessageContaining("exactly one of event and reply");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"command\":{\"@type\":\"delete\",\"commandId\":\"c1\","
            + "\"productId\":\"p1\",\"cause\":{\"eventId\":\"c1\"}},\"request\":{\"@type\":\"fulfil\","
            + "\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":5,\"quantity\":2,\"cause\":{\"eventId\":\"e1\"}}}"})
        void shouldFailWithSerializationExceptionOnAStockInputWithNeitherOrBothCasesSet(final String text) {
            // given
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

            // when / then
            assertThatThrownBy(() -> InputSerdes.STOCK_INPUT.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("StockInput").hasMessageContaining("exactly one of command and request");
        }

        @Test
        void shouldFailWithSerializationExceptionOnAnUnknownTypeTag() {
            // given
            final byte[] bytes = "{\"request\":{\"@type\":\"explode\",\"orderId\":\"o1\"}}"
                .getBytes(StandardCharsets.UTF_8);

            // when / then
            assertThatThrownBy(() -> InputSerdes.STOCK_INPUT.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
        }

        @Test
        void shouldFailWithSerializationExceptionOnAValueThatBreaksItsInvariant() {
            // given: a cause without eventId
            final byte[] bytes = ("{\"event\":{\"@type\":\"cancelled\",\"eventId\":\"e1\",\"orderId\":\"o1\","
                + "\"userId\":\"u1\",\"cause\":{\"correlationId\":\"c\"}}}").getBytes(StandardCharsets.UTF_8);

            // when / then
            assertThatThrownBy(() -> InputSerdes.ORDER_INPUT.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class);
        }
    }
}
