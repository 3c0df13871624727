package io.inventory.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.domain.Cause;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.Limits;
import io.inventory.domain.OrderEvent;
import io.inventory.schema.EventSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading and validating inbound envelopes: every event type, and every reason a record is invalid. */
class InboundReaderTest {

    private static final String CREATED = "OrderCreatedEvent";
    private static final String UPDATED = "OrderUpdatedEvent";
    private static final String CANCELLED = "OrderCancelledEvent";
    private static final String TIMESTAMP = "2025-10-30T10:15:30.000Z";

    private static ObjectNode envelope(final String eventId, final String eventType, final JsonNode payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventId", eventId).put("eventType", eventType)
            .put("timestamp", TIMESTAMP);
        envelope.set("payload", payload);
        return envelope;
    }

    private static ObjectNode orderPayload(final Object... productAndQuantity) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", "o1").put("userId", "user-1");
        final ArrayNode items = payload.putArray("items");
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            final ObjectNode item = items.addObject().put("productId", (String) productAndQuantity[i]);
            item.set("quantity", Json.MAPPER.valueToTree(productAndQuantity[i + 1]));
        }
        return payload;
    }

    private static ObjectNode createPayload() {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", "p1").put("title", "Widget")
            .put("brand", "Acme").put("quantity", 10).put("currency", "EUR");
        payload.set("price", Json.MAPPER.getNodeFactory().numberNode(new BigDecimal("9.99")));
        return payload;
    }

    private static byte[] bytes(final JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Parsed<OrderEvent> readOrder(final String eventType, final JsonNode envelope) {
        final Parsed<OrderEvent> parsed = InboundReader.readOrderEvent(eventType, bytes(envelope));
        agreesWithSchema(parsed, EventSchemas.get().errors(eventType + ".json", envelope.toString()), envelope);
        return parsed;
    }

    private static Parsed<InventoryCommand> readCommand(final JsonNode envelope) {
        final Parsed<InventoryCommand> parsed = InboundReader.readCommand(bytes(envelope));
        agreesWithSchema(parsed, EventSchemas.get().errorsOnTopic("inventory.commands", bytes(envelope)), envelope);
        return parsed;
    }

    private static void agreesWithSchema(final Parsed<?> parsed, final List<String> schemaErrors,
                                         final JsonNode envelope) {
        EventSchemas.assertAgrees(parsed instanceof Parsed.Valid<?>, schemaErrors, bytes(envelope));
    }

    @SuppressWarnings("unchecked")
    private static <T> T valid(final Parsed<T> parsed) {
        assertThat(parsed).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid<T>) parsed).value();
    }

    @SuppressWarnings("unchecked")
    private static <T> Parsed.Invalid<T> invalid(final Parsed<T> parsed, final InvalidReason reason) {
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        final Parsed.Invalid<T> invalid = (Parsed.Invalid<T>) parsed;
        assertThat(invalid.reason()).as(invalid.detail()).isEqualTo(reason);
        return invalid;
    }

    private static String repeat(final char c, final int times) {
        return String.valueOf(c).repeat(times);
    }

    @Nested
    class OrderEvents {

        @Test
        void shouldReadAnOrderCreatedEventWithItsMetadata() {
            // given
            final ObjectNode envelope = envelope("e1", CREATED, orderPayload("p2", 2, "p1", 1));
            envelope.putObject("metadata").put("correlationId", "corr-1").put("userId", "user-9");

            // when
            final OrderEvent event = valid(readOrder(CREATED, envelope));

            // then
            assertThat(event).isEqualTo(new OrderEvent.Placed("e1", "o1", "user-1", Map.of("p1", 1L, "p2", 2L),
                List.of(), new Cause("e1", "corr-1", "user-9")));
        }

        @Test
        void shouldReadAnOrderUpdatedEvent() {
            // when
            final OrderEvent event = valid(readOrder(UPDATED, envelope("e1", UPDATED, orderPayload("p1", 3))));

            // then
            assertThat(event).isEqualTo(new OrderEvent.Changed("e1", "o1", "user-1", Map.of("p1", 3L), List.of(),
                new Cause("e1", "e1", null)));
        }

        @Test
        void shouldReadAnOrderCancelledEventWithAndWithoutAReason() {
            // given
            final ObjectNode withReason = Json.MAPPER.createObjectNode().put("orderId", "o1").put("userId", "user-1")
                .put("reason", "customer asked");
            final ObjectNode withoutReason = Json.MAPPER.createObjectNode().put("orderId", "o1")
                .put("userId", "user-1");

            // when
            final OrderEvent first = valid(readOrder(CANCELLED, envelope("e1", CANCELLED, withReason)));
            final OrderEvent second = valid(readOrder(CANCELLED, envelope("e2", CANCELLED, withoutReason)));

            // then
            assertThat(first).isEqualTo(new OrderEvent.Cancelled("e1", "o1", "user-1", "customer asked",
                new Cause("e1", "e1", null)));
            assertThat(second).isEqualTo(new OrderEvent.Cancelled("e2", "o1", "user-1", null,
                new Cause("e2", "e2", null)));
        }

        @Test
        void shouldSumTheLinesOfOneProduct() {
            // when
            final OrderEvent event = valid(readOrder(CREATED,
                envelope("e1", CREATED, orderPayload("p1", 2, "p2", 1, "p1", 3))));

            // then
            assertThat(((OrderEvent.Placed) event).lines()).isEqualTo(Map.of("p1", 5L, "p2", 1L));
        }

        @Test
        void shouldAcceptLinesThatSumToExactlyTheMaximum() {
            // when
            final OrderEvent event = valid(readOrder(CREATED,
                envelope("e1", CREATED, orderPayload("p1", Limits.MAX_QUANTITY - 1, "p1", 1))));

            // then
            assertThat(((OrderEvent.Placed) event).lines()).isEqualTo(
                Map.of("p1", Limits.MAX_QUANTITY));
        }

        @Test
        void shouldAcceptAWholeQuantityWrittenWithADecimalPoint() {
            // when
            final OrderEvent event = valid(readOrder(CREATED,
                envelope("e1", CREATED, orderPayload("p1", new BigDecimal("2.0")))));

            // then
            assertThat(((OrderEvent.Placed) event).lines()).isEqualTo(Map.of("p1", 2L));
        }

        @Test
        void shouldAcceptIdsOfTheMaximumLength() {
            // given
            final String longest = repeat('x', Limits.MAX_ID_LENGTH);
            final ObjectNode payload = orderPayload("p1", 1).put("orderId", longest);

            // when
            final OrderEvent event = valid(readOrder(CREATED, envelope(longest, CREATED, payload)));

            // then
            assertThat(event.orderId()).isEqualTo(longest);
            assertThat(event.eventId()).isEqualTo(longest);
        }
    }

    @Nested
    class Commands {

        @Test
        void shouldReadACreateInventoryItemCommand() {
            // when
            final InventoryCommand command = valid(readCommand(envelope("c1", "CreateInventoryItem",
                createPayload())));

            // then
            assertThat(command).isEqualTo(new InventoryCommand.CreateItem("c1", "p1", "Widget", "Acme", 10,
                new BigDecimal("9.99"), "EUR", new Cause("c1", "c1", null)));
        }

        @Test
        void shouldReadACreateOfZeroUnits() {
            // when
            final InventoryCommand command = valid(readCommand(envelope("c1", "CreateInventoryItem",
                createPayload().put("quantity", 0))));

            // then
            assertThat(((InventoryCommand.CreateItem) command).quantity()).isZero();
        }

        @Test
        void shouldReadAnUpdateInventoryItemCommandWithOnlyTheFieldsGiven() {
            // given
            final ObjectNode onlyTitle = Json.MAPPER.createObjectNode().put("productId", "p1").put("title", "New");
            final ObjectNode everything = createPayload().put("title", "Gadget");

            // when
            final InventoryCommand partial = valid(readCommand(envelope("c1", "UpdateInventoryItem", onlyTitle)));
            final InventoryCommand full = valid(readCommand(envelope("c2", "UpdateInventoryItem", everything)));

            // then
            assertThat(partial).isEqualTo(new InventoryCommand.UpdateItem("c1", "p1", "New", null, null, null, null,
                new Cause("c1", "c1", null)));
            assertThat(full).isEqualTo(new InventoryCommand.UpdateItem("c2", "p1", "Gadget", "Acme", 10L,
                new BigDecimal("9.99"), "EUR", new Cause("c2", "c2", null)));
        }

        @Test
        void shouldReadADeleteInventoryItemCommand() {
            // when
            final InventoryCommand command = valid(readCommand(envelope("c1", "DeleteInventoryItem",
                Json.MAPPER.createObjectNode().put("productId", "p1"))));

            // then
            assertThat(command).isEqualTo(new InventoryCommand.DeleteItem("c1", "p1", new Cause("c1", "c1", null)));
        }

        @ParameterizedTest
        @ValueSource(longs = {-Limits.MAX_QUANTITY, -5, 0, 5, Limits.MAX_QUANTITY})
        void shouldReadAnAdjustInventoryStockCommand(final long delta) {
            // when
            final InventoryCommand command = valid(readCommand(envelope("c1", "AdjustInventoryStock",
                Json.MAPPER.createObjectNode().put("productId", "p1").put("delta", delta))));

            // then
            assertThat(command).isEqualTo(new InventoryCommand.AdjustStock("c1", "p1", delta,
                new Cause("c1", "c1", null)));
        }
    }

    @Nested
    class Envelope {

        @Test
        void shouldAcceptATimestampInEpochMilliseconds() {
            // given
            final ObjectNode envelope = envelope("e1", CREATED, orderPayload("p1", 1)).put("timestamp",
                1_761_819_330_000L);

            // when / then
            valid(readOrder(CREATED, envelope));
        }

        @Test
        void shouldAcceptAnEnvelopeWithoutTimestamp() {
            // given
            final ObjectNode envelope = envelope("e1", CREATED, orderPayload("p1", 1));
            envelope.remove("timestamp");

            // when / then
            valid(readOrder(CREATED, envelope));
        }

        @ParameterizedTest
        @ValueSource(strings = {"yesterday", "2025-10-30", "30/10/2025 10:15"})
        void shouldRejectATimestampThatIsNotIsoText(final String timestamp) {
            // given
            final ObjectNode envelope = envelope("e1", CREATED, orderPayload("p1", 1)).put("timestamp", timestamp);

            // when / then
            invalid(readOrder(CREATED, envelope), InvalidReason.NOT_AN_ENVELOPE);
        }

        @Test
        void shouldRejectATimestampThatIsNeitherTextNorAnInteger() {
            // given
            final ObjectNode fraction = envelope("e1", CREATED, orderPayload("p1", 1)).put("timestamp", 1.5);
            final ObjectNode bool = envelope("e1", CREATED, orderPayload("p1", 1)).put("timestamp", true);

            // when / then
            invalid(readOrder(CREATED, fraction), InvalidReason.NOT_AN_ENVELOPE);
            invalid(readOrder(CREATED, bool), InvalidReason.NOT_AN_ENVELOPE);
        }

        @Test
        void shouldTakeTheEventIdAsCorrelationIdWhenMetadataIsMissingOrNull() {
            // given
            final ObjectNode missing = envelope("e1", CREATED, orderPayload("p1", 1));
            final ObjectNode nullMetadata = envelope("e1", CREATED, orderPayload("p1", 1));
            nullMetadata.putNull("metadata");
            final ObjectNode emptyMetadata = envelope("e1", CREATED, orderPayload("p1", 1));
            emptyMetadata.putObject("metadata");

            // when / then
            for (final ObjectNode envelope : List.of(missing, nullMetadata, emptyMetadata)) {
                assertThat(valid(readOrder(CREATED, envelope)).cause()).isEqualTo(new Cause("e1", "e1", null));
            }
        }

        @Test
        void shouldRejectMetadataThatIsNotAnObject() {
            // given
            final ObjectNode envelope = envelope("e1", CREATED, orderPayload("p1", 1)).put("metadata", "user-1");

            // when / then
            invalid(readOrder(CREATED, envelope), InvalidReason.NOT_AN_ENVELOPE);
        }

        @Test
        void shouldRejectAMetadataIdThatIsNotAString() {
            // given
            final ObjectNode envelope = envelope("e1", CREATED, orderPayload("p1", 1));
            envelope.putObject("metadata").put("correlationId", 42);

            // when / then
            invalid(readOrder(CREATED, envelope), InvalidReason.INVALID_FIELD);
        }

        @Test
        void shouldIgnoreUnknownFieldsAtEveryLevel() {
            // given
            final ObjectNode payload = orderPayload("p1", 1).put("couponCode", "X");
            ((ObjectNode) payload.get("items").get(0)).put("giftWrap", true).putObject("extra").put("a", 1);
            final ObjectNode envelope = envelope("e1", CREATED, payload).put("schemaVersion", 2);
            envelope.putObject("metadata").put("traceId", "t-1").put("causationId", "x");

            // when
            final OrderEvent event = valid(readOrder(CREATED, envelope));

            // then
            assertThat(((OrderEvent.Placed) event).lines()).isEqualTo(Map.of("p1", 1L));
        }
    }

    @Nested
    class Invalid {

        @Test
        void shouldRejectARecordWithoutValueAsEmpty() {
            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, null), InvalidReason.EMPTY);
            invalid(InboundReader.readOrderEvent(CREATED, new byte[0]), InvalidReason.EMPTY);
            invalid(InboundReader.readCommand(null), InvalidReason.EMPTY);
        }

        @ParameterizedTest
        @ValueSource(strings = {"not json", "{\"eventId\": \"e1\",", "{'eventId': 'e1'}", "{\"a\": 01}"})
        void shouldRejectTextThatIsNotJsonAsNotJson(final String text) {
            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, bytes(text)), InvalidReason.NOT_JSON);
            invalid(InboundReader.readCommand(bytes(text)), InvalidReason.NOT_JSON);
        }

        @Test
        void shouldRejectMalformedUtf8AsNotJson() {
            // given: 0xC3 starts a two-byte sequence that 0x28 does not continue
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes("{\"eventId\":\"e"));
            out.write(0xC3);
            out.write(0x28);
            out.writeBytes(bytes("\",\"eventType\":\"OrderCreatedEvent\",\"payload\":{}}"));

            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, out.toByteArray()), InvalidReason.NOT_JSON);
        }

        @Test
        void shouldRejectJsonNestedDeeperThanTheLimitAsNotJson() {
            // given
            final String deep = repeat('[', Json.MAX_NESTING_DEPTH + 1) + repeat(']', Json.MAX_NESTING_DEPTH + 1);
            final String deepInPayload = "{\"eventId\":\"e1\",\"eventType\":\"OrderCreatedEvent\",\"payload\":"
                + "{\"orderId\":\"o1\",\"userId\":\"u1\",\"items\":[{\"productId\":\"p1\",\"quantity\":1}],"
                + "\"extra\":" + repeat('[', 200) + repeat(']', 200) + "}}";

            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, bytes(deep)), InvalidReason.NOT_JSON);
            invalid(InboundReader.readOrderEvent(CREATED, bytes(deepInPayload)), InvalidReason.NOT_JSON);
        }

        @Test
        void shouldReadJsonNestedExactlyToTheLimit() {
            // given
            final String atLimit = repeat('[', Json.MAX_NESTING_DEPTH) + repeat(']', Json.MAX_NESTING_DEPTH);

            // when / then: parsed, then refused as an array rather than as unreadable
            invalid(InboundReader.readOrderEvent(CREATED, bytes(atLimit)), InvalidReason.NOT_AN_ENVELOPE);
        }

        @Test
        void shouldRejectANumberLongerThanTheLimitAsNotJson() {
            // given
            final String text = "{\"eventId\":\"e1\",\"eventType\":\"OrderCreatedEvent\",\"payload\":{\"orderId\":"
                + "\"o1\",\"userId\":\"u1\",\"items\":[{\"productId\":\"p1\",\"quantity\":" + repeat('9', 101)
                + "}]}}";

            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, bytes(text)), InvalidReason.NOT_JSON);
        }

        @Test
        void shouldRejectAnEnvelopeFollowedByMoreTextAsNotJson() {
            // given
            final String text = new String(bytes(envelope("e1", CREATED, orderPayload("p1", 1))),
                StandardCharsets.UTF_8) + " garbage";

            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, bytes(text)), InvalidReason.NOT_JSON);
        }

        static Stream<Arguments> notEnvelopes() {
            final ObjectNode payload = orderPayload("p1", 1);
            final ObjectNode noEventId = envelope("e1", CREATED, payload);
            noEventId.remove("eventId");
            final ObjectNode noEventType = envelope("e1", CREATED, payload);
            noEventType.remove("eventType");
            final ObjectNode noPayload = envelope("e1", CREATED, payload);
            noPayload.remove("payload");
            return Stream.of(
                Arguments.of("an array", "[1, 2]"),
                Arguments.of("a string", "\"hello\""),
                Arguments.of("a number", "42"),
                Arguments.of("null", "null"),
                Arguments.of("no eventId", json(noEventId)),
                Arguments.of("a blank eventId", json(envelope(" ", CREATED, payload))),
                Arguments.of("a too long eventId", json(envelope(repeat('e', Limits.MAX_ID_LENGTH + 1), CREATED,
                    payload))),
                Arguments.of("a numeric eventId", json(envelope("e1", CREATED, payload).put("eventId", 7))),
                Arguments.of("no eventType", json(noEventType)),
                Arguments.of("a numeric eventType", json(envelope("e1", CREATED, payload).put("eventType", 1))),
                Arguments.of("no payload", json(noPayload)),
                Arguments.of("a payload array", json(envelope("e1", CREATED, Json.MAPPER.createArrayNode()))),
                Arguments.of("a payload string", json(envelope("e1", CREATED, Json.MAPPER.getNodeFactory()
                    .textNode("{}")))));
        }

        private static String json(final JsonNode node) {
            return new String(bytes(node), StandardCharsets.UTF_8);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("notEnvelopes")
        void shouldRejectJsonThatIsNotAnEnvelopeAsNotAnEnvelope(final String description, final String text) {
            // when / then
            invalid(InboundReader.readOrderEvent(CREATED, bytes(text)), InvalidReason.NOT_AN_ENVELOPE);
            invalid(InboundReader.readCommand(bytes(text)), InvalidReason.NOT_AN_ENVELOPE);
        }

        @Test
        void shouldRejectAnOrderEventOfAnotherTypeWithWrongEventType() {
            // given
            final ObjectNode update = envelope("e1", UPDATED, orderPayload("p1", 1));

            // when / then
            invalid(readOrder(CREATED, update), InvalidReason.WRONG_EVENT_TYPE);
            invalid(readOrder(CANCELLED, update), InvalidReason.WRONG_EVENT_TYPE);
            assertThat(invalid(readOrder(CREATED, update), InvalidReason.WRONG_EVENT_TYPE).answer()).isNull();
        }

        @Test
        void shouldRejectACommandOfAnUnknownTypeWithWrongEventType() {
            // given
            final ObjectNode envelope = envelope("c1", "OrderCreatedEvent", createPayload());

            // when / then
            invalid(readCommand(envelope), InvalidReason.WRONG_EVENT_TYPE);
        }

        static Stream<Arguments> invalidOrderFields() {
            final String tooLong = repeat('o', Limits.MAX_ID_LENGTH + 1);
            return Stream.of(
                Arguments.of("no orderId", (Consumer<ObjectNode>) payload -> payload.remove("orderId")),
                Arguments.of("a blank orderId", (Consumer<ObjectNode>) payload -> payload.put("orderId", "  ")),
                Arguments.of("an empty orderId", (Consumer<ObjectNode>) payload -> payload.put("orderId", "")),
                Arguments.of("a too long orderId", (Consumer<ObjectNode>) payload -> payload.put("orderId", tooLong)),
                Arguments.of("a numeric orderId", (Consumer<ObjectNode>) payload -> payload.put("orderId", 1)),
                Arguments.of("no userId", (Consumer<ObjectNode>) payload -> payload.remove("userId")),
                Arguments.of("a too long userId", (Consumer<ObjectNode>) payload -> payload.put("userId", tooLong)),
                Arguments.of("no items", (Consumer<ObjectNode>) payload -> payload.remove("items")),
                Arguments.of("empty items", (Consumer<ObjectNode>) payload -> payload.putArray("items")),
                Arguments.of("items as an object", (Consumer<ObjectNode>) payload -> payload.putObject("items")),
                Arguments.of("an item that is not an object",
                    (Consumer<ObjectNode>) payload -> ((ArrayNode) payload.get("items")).add("p1")),
                Arguments.of("an item without productId",
                    (Consumer<ObjectNode>) payload -> ((ObjectNode) payload.get("items").get(0)).remove("productId")),
                Arguments.of("an item with a blank productId",
                    (Consumer<ObjectNode>) payload -> ((ObjectNode) payload.get("items").get(0)).put("productId", "")),
                Arguments.of("an item with a numeric productId",
                    (Consumer<ObjectNode>) payload -> ((ObjectNode) payload.get("items").get(0)).put("productId", 3)),
                Arguments.of("an item with a lone surrogate in its productId",
                    (Consumer<ObjectNode>) payload -> ((ObjectNode) payload.get("items").get(0))
                        .put("productId", "p-\ud800")),
                Arguments.of("an item with a too long productId",
                    (Consumer<ObjectNode>) payload -> ((ObjectNode) payload.get("items").get(0))
                        .put("productId", tooLong)),
                Arguments.of("more items than the limit", (Consumer<ObjectNode>) payload -> {
                    final ArrayNode items = payload.putArray("items");
                    for (int i = 0; i <= Limits.MAX_LINES; i++) {
                        items.addObject().put("productId", "p" + i).put("quantity", 1);
                    }
                }));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidOrderFields")
        void shouldRejectAnOrderWithAnInvalidFieldWithInvalidField(final String description,
                                                                  final Consumer<ObjectNode> breakPayload) {
            // given
            final ObjectNode payload = orderPayload("p1", 1);
            breakPayload.accept(payload);

            // when
            final Parsed.Invalid<OrderEvent> invalid = invalid(readOrder(CREATED, envelope("e1", CREATED, payload)),
                InvalidReason.INVALID_FIELD);

            // then
            assertThat(invalid.answer()).isNull();
            assertThat(invalid.detail()).isNotBlank();
        }

        @Test
        void shouldAcceptExactlyTheMaximumNumberOfItems() {
            // given
            final ObjectNode payload = orderPayload();
            final ArrayNode items = payload.putArray("items");
            for (int i = 0; i < Limits.MAX_LINES; i++) {
                items.addObject().put("productId", "p" + i).put("quantity", 1);
            }

            // when
            final OrderEvent event = valid(readOrder(CREATED, envelope("e1", CREATED, payload)));

            // then
            assertThat(((OrderEvent.Placed) event).lines()).hasSize(Limits.MAX_LINES);
        }

        @Test
        void shouldRejectACancelWithAReasonThatIsNotAStringWithInvalidField() {
            // given
            final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", "o1").put("userId", "u1")
                .put("reason", 5);

            // when / then
            invalid(readOrder(CANCELLED, envelope("e1", CANCELLED, payload)), InvalidReason.INVALID_FIELD);
        }

        static Stream<Arguments> invalidCommandFields() {
            return Stream.of(
                Arguments.of("create without productId", "CreateInventoryItem", createPayload().without("productId")),
                Arguments.of("create with a blank productId", "CreateInventoryItem",
                    createPayload().put("productId", " ")),
                Arguments.of("create without title", "CreateInventoryItem", createPayload().without("title")),
                Arguments.of("create with a numeric brand", "CreateInventoryItem", createPayload().put("brand", 1)),
                Arguments.of("create without price", "CreateInventoryItem", createPayload().without("price")),
                Arguments.of("create with a price as text", "CreateInventoryItem",
                    createPayload().put("price", "9.99")),
                Arguments.of("create without currency", "CreateInventoryItem", createPayload().without("currency")),
                Arguments.of("update with a price as text", "UpdateInventoryItem",
                    Json.MAPPER.createObjectNode().put("productId", "p1").put("price", "cheap")),
                Arguments.of("update with a numeric title", "UpdateInventoryItem",
                    Json.MAPPER.createObjectNode().put("productId", "p1").put("title", 3)),
                Arguments.of("delete with a too long productId", "DeleteInventoryItem",
                    Json.MAPPER.createObjectNode().put("productId", repeat('p', Limits.MAX_ID_LENGTH + 1))),
                Arguments.of("adjust without productId", "AdjustInventoryStock",
                    Json.MAPPER.createObjectNode().put("delta", 1)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidCommandFields")
        void shouldRejectACommandWithAnInvalidFieldWithInvalidField(final String description, final String type,
                                                                   final ObjectNode payload) {
            // when
            final Parsed.Invalid<InventoryCommand> invalid = invalid(readCommand(envelope("c1", type, payload)),
                InvalidReason.INVALID_FIELD);

            // then
            assertThat(invalid.answer()).isNull();
        }
    }

    @Nested
    class InvalidQuantity {

        static Stream<Arguments> badQuantities() {
            return Stream.of(
                Arguments.of("zero", Json.MAPPER.valueToTree(0)),
                Arguments.of("negative", Json.MAPPER.valueToTree(-3)),
                Arguments.of("fractional", Json.MAPPER.getNodeFactory().numberNode(new BigDecimal("1.5"))),
                Arguments.of("a string", Json.MAPPER.valueToTree("3")),
                Arguments.of("a boolean", Json.MAPPER.valueToTree(true)),
                Arguments.of("null", Json.MAPPER.nullNode()),
                Arguments.of("beyond long", Json.MAPPER.getNodeFactory()
                    .numberNode(new java.math.BigInteger("9223372036854775808"))),
                Arguments.of("beyond the maximum", Json.MAPPER.valueToTree(Limits.MAX_QUANTITY + 1)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badQuantities")
        void shouldRejectAnOrderLineWithABadQuantityAndAnswerWithTheOrder(final String description,
                                                                         final JsonNode quantity) {
            // given
            final ObjectNode payload = orderPayload("p2", 2, "p1", 1);
            ((ObjectNode) payload.get("items").get(1)).set("quantity", quantity);

            // when
            final Parsed.Invalid<OrderEvent> invalid = invalid(readOrder(CREATED, envelope("e1", CREATED, payload)),
                InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(invalid.answer()).isEqualTo(new OrderEvent.Placed("e1", "o1", "user-1", Map.of("p2", 2L),
                List.of("p1"), new Cause("e1", "e1", null)));
            assertThat(invalid.detail()).contains("p1");
        }

        @Test
        void shouldRejectAnOrderLineWithoutQuantity() {
            // given
            final ObjectNode payload = orderPayload("p1", 1);
            ((ObjectNode) payload.get("items").get(0)).remove("quantity");

            // when
            final Parsed.Invalid<OrderEvent> invalid = invalid(readOrder(UPDATED, envelope("e1", UPDATED, payload)),
                InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(invalid.answer()).isEqualTo(new OrderEvent.Changed("e1", "o1", "user-1", Map.of(),
                List.of("p1"), new Cause("e1", "e1", null)));
        }

        @Test
        void shouldRejectLinesOfOneProductWhoseSumExceedsTheMaximum() {
            // given
            final ObjectNode payload = orderPayload("p1", Limits.MAX_QUANTITY, "p2", 1, "p1", 1);

            // when
            final Parsed.Invalid<OrderEvent> invalid = invalid(readOrder(CREATED, envelope("e1", CREATED, payload)),
                InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(((OrderEvent.Placed) invalid.answer()).lines()).isEqualTo(Map.of("p2", 1L));
            assertThat(((OrderEvent.Placed) invalid.answer()).invalidLines()).containsExactly("p1");
        }

        @Test
        void shouldRejectAProductWithOneBadLineWhereverTheBadLineIs() {
            // given
            final ObjectNode badFirst = orderPayload("p1", 0, "p1", 2);
            final ObjectNode badLast = orderPayload("p1", 2, "p1", 0, "p1", 3);

            // when
            final Parsed.Invalid<OrderEvent> first = invalid(readOrder(CREATED, envelope("e1", CREATED, badFirst)),
                InvalidReason.INVALID_QUANTITY);
            final Parsed.Invalid<OrderEvent> last = invalid(readOrder(CREATED, envelope("e1", CREATED, badLast)),
                InvalidReason.INVALID_QUANTITY);

            // then
            for (final Parsed.Invalid<OrderEvent> invalid : List.of(first, last)) {
                final OrderEvent.Placed answer = (OrderEvent.Placed) invalid.answer();
                assertThat(answer.lines()).isEmpty();
                assertThat(answer.invalidLines()).containsExactly("p1");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "1000000000001", "\"ten\"", "2.5"})
        void shouldRejectACreateWithABadQuantityAndAnswerWithTheCommand(final String quantity) throws IOException {
            // given
            final ObjectNode payload = createPayload();
            payload.set("quantity", Json.MAPPER.readTree(quantity));

            // when
            final Parsed.Invalid<InventoryCommand> invalid = invalid(readCommand(envelope("c1",
                "CreateInventoryItem", payload)), InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(invalid.answer()).isInstanceOf(InventoryCommand.CreateItem.class);
            assertThat(invalid.answer().commandId()).isEqualTo("c1");
            assertThat(Limits.isValidStock(((InventoryCommand.CreateItem) invalid.answer()).quantity())).isFalse();
        }

        @Test
        void shouldRejectAnUpdateWithABadQuantityAndAnswerWithTheCommand() {
            // given
            final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", "p1").put("quantity", -1);

            // when
            final Parsed.Invalid<InventoryCommand> invalid = invalid(readCommand(envelope("c1",
                "UpdateInventoryItem", payload)), InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(invalid.answer()).isEqualTo(new InventoryCommand.UpdateItem("c1", "p1", null, null, -1L, null,
                null, new Cause("c1", "c1", null)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1000000000001", "-1000000000001", "\"5\"", "0.5", "99999999999999999999"})
        void shouldRejectAnAdjustmentWithABadDeltaAndAnswerWithTheCommand(final String delta) throws IOException {
            // given
            final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", "p1");
            payload.set("delta", Json.MAPPER.readTree(delta));

            // when
            final Parsed.Invalid<InventoryCommand> invalid = invalid(readCommand(envelope("c1",
                "AdjustInventoryStock", payload)), InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(invalid.answer()).isInstanceOf(InventoryCommand.AdjustStock.class);
            assertThat(invalid.answer().productId()).isEqualTo("p1");
        }

        @Test
        void shouldRejectAnAdjustmentWithoutDelta() {
            // when
            final Parsed.Invalid<InventoryCommand> invalid = invalid(readCommand(envelope("c1",
                "AdjustInventoryStock", Json.MAPPER.createObjectNode().put("productId", "p1"))),
                InvalidReason.INVALID_QUANTITY);

            // then
            assertThat(invalid.answer()).isInstanceOf(InventoryCommand.AdjustStock.class);
        }
    }
}
