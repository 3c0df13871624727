package io.inventory.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.domain.FailureReason;
import io.inventory.domain.FulfilmentFailureReason;
import io.inventory.domain.ReleaseReason;
import io.inventory.domain.RejectionReason;
import io.inventory.serde.InvalidReason;
import io.inventory.serde.Json;
import io.inventory.topology.DeadLetters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The schema files themselves: well-formed draft 2020-12 with their own ids, one {@code eventType} each, every
 * reason code of the code base, and they accept the examples of {@code topics.md} and reject what the service
 * rejects. What the service really publishes is checked on every record of the TopologyTestDriver suite
 * ({@code TopologyFixture}).
 */
class EventSchemasTest {

    private static final EventSchemas SCHEMAS = EventSchemas.get();
    private static final Path TOPICS_MD = Path.of("topology-docs", "topics.md");

    static JsonNode schema(final String file) {
        try {
            return Json.MAPPER.readTree(EventSchemas.DIR.resolve(file).toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code eventType} a schema fixes, or {@code null}. */
    static String eventTypeConst(final String file) {
        return schema(file).path("properties").path("eventType").path("const").asText(null);
    }

    private static List<String> enumOf(final String file, final String field) {
        final List<String> values = new ArrayList<>();
        schema(file).path("properties").path("payload").path("properties").path(field).path("enum")
            .forEach(value -> values.add(value.asText()));
        return values;
    }

    private static ObjectNode inbound(final String eventType, final String payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventId", "e-1").put("eventType", eventType)
            .put("timestamp", "2025-10-30T10:15:30.000Z");
        envelope.set("payload", json(payload));
        return envelope;
    }

    private static ObjectNode outbound(final String eventType, final String payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode()
            .put("eventId", "913fc706-9f2c-31a9-a347-05d81f0e8de2").put("eventType", eventType)
            .put("timestamp", "2025-10-30T10:15:37.000Z");
        envelope.set("payload", json(payload));
        envelope.putObject("metadata").put("correlationId", "checkout-42").put("causationId", "e-1");
        return envelope;
    }

    private static JsonNode json(final String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> errors(final JsonNode envelope) {
        return SCHEMAS.errors(envelope.path("eventType").asText() + ".json", envelope.toString());
    }

    @Test
    void shouldDeclareDraft202012AndTheirOwnIds() {
        for (final String file : EventSchemas.files(EventSchemas.DIR).keySet()) {
            assertThat(schema(file).path("$schema").asText()).as(file)
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema(file).path("$id").asText()).as(file).isEqualTo(EventSchemas.BASE + file);
        }
    }

    @Test
    void shouldFixTheEventTypeOfEveryEventSchemaToItsName() {
        for (final String file : EventSchemas.files(EventSchemas.DIR).keySet()) {
            final boolean envelope = schema(file).path("allOf").toString().contains("envelope-");
            if (envelope) {
                assertThat(eventTypeConst(file)).as(file).isEqualTo(file.replace(".json", ""));
            }
        }
        assertThat(eventTypeConst("OrderFulfilledEvent.json")).isEqualTo("OrderFulfilledEvent");
    }

    @Test
    void shouldListEveryReasonCodeTheServiceCanWrite() {
        assertThat(enumOf("InventoryReservationFailedEvent.json", "reason"))
            .containsAll(Arrays.stream(FailureReason.values()).map(Enum::name).toList())
            .contains("ORDER_FULFILLED");
        assertThat(enumOf("InventoryCommandRejectedEvent.json", "reason"))
            .containsExactlyInAnyOrderElementsOf(Arrays.stream(RejectionReason.values()).map(Enum::name).toList());
        assertThat(enumOf("InventoryFulfilmentFailedEvent.json", "reason")).containsExactlyInAnyOrderElementsOf(
            Arrays.stream(FulfilmentFailureReason.values()).map(Enum::name).toList());
        assertThat(enumOf("InventoryItemReleasedEvent.json", "reason"))
            .containsExactlyInAnyOrderElementsOf(Arrays.stream(ReleaseReason.values()).map(Enum::name).toList());
        final List<String> dlqReasons = new ArrayList<>();
        schema("DeadLetterHeaders.json").path("properties").path("dlq.reason").path("enum")
            .forEach(value -> dlqReasons.add(value.asText()));
        assertThat(dlqReasons)
            .containsExactlyInAnyOrderElementsOf(Arrays.stream(InvalidReason.values()).map(Enum::name).toList());
    }

    /** The JSON examples of topics.md by section, each wrapped in an envelope when it is a payload only. */
    @Test
    void shouldAcceptEveryExampleOfTopicsMd() throws IOException {
        final Map<String, List<String>> sections = jsonBlocksBySection(Files.readString(TOPICS_MD,
            StandardCharsets.UTF_8));
        final Map<String, List<String>> payloadTypes = Map.of(
            "### `order.updated`: `OrderUpdatedEvent`", List.of("OrderUpdatedEvent"),
            "### `order.cancelled`: `OrderCancelledEvent`", List.of("OrderCancelledEvent"),
            "### `order.fulfilled`: `OrderFulfilledEvent`", List.of("OrderFulfilledEvent", "OrderFulfilledEvent"),
            "### `inventory.commands`", List.of("CreateInventoryItem", "UpdateInventoryItem", "DeleteInventoryItem",
                "AdjustInventoryStock"),
            "## Outbound events", List.of("InventoryItemCreatedEvent", "InventoryItemUpdatedEvent",
                "InventoryItemDeletedEvent", "InventoryItemReservedEvent", "InventoryItemReleasedEvent",
                "InsufficientInventoryEvent", "InventoryReservationFailedEvent", "InventoryItemFulfilledEvent",
                "InventoryFulfilmentFailedEvent", "InventoryFulfilmentFailedEvent", "InventoryCommandRejectedEvent"));
        int checked = 0;
        for (final String fullEnvelope : List.of("## The envelope", "### `order.created`: `OrderCreatedEvent` (full envelope)")) {
            for (final String block : sections.get(fullEnvelope)) {
                assertThat(errors(json(block))).as(block).isEmpty();
                checked++;
            }
        }
        for (final Map.Entry<String, List<String>> section : payloadTypes.entrySet()) {
            final List<String> examples = new ArrayList<>();
            sections.get(section.getKey()).forEach(block -> block.lines().filter(line -> line.startsWith("{"))
                .forEach(examples::add));
            assertThat(examples).as(section.getKey()).hasSameSizeAs(section.getValue());
            for (int i = 0; i < examples.size(); i++) {
                final String type = section.getValue().get(i);
                final ObjectNode envelope = type.startsWith("Order") || !type.endsWith("Event")
                    ? inbound(type, examples.get(i)) : outbound(type, examples.get(i));
                assertThat(errors(envelope)).as(type + " " + examples.get(i)).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(21);
    }

    @Test
    void shouldAcceptWhatTheServiceAcceptsAtTheEdges() {
        assertThat(errors(inbound("OrderCreatedEvent",
            "{\"orderId\":\"o\",\"userId\":\"u\",\"items\":[{\"productId\":\"p\",\"quantity\":2.0},"
                + "{\"productId\":\"q\",\"quantity\":1e3}],\"extra\":true}"))).isEmpty();
        final ObjectNode epochMillis = inbound("OrderCancelledEvent", "{\"orderId\":\"o\",\"userId\":\"u\"}");
        epochMillis.put("timestamp", 1_761_819_330_000L);
        epochMillis.putNull("metadata");
        assertThat(errors(epochMillis)).isEmpty();
        assertThat(errors(inbound("UpdateInventoryItem", "{\"productId\":\"p\",\"title\":null,\"quantity\":0}")))
            .isEmpty();
        assertThat(errors(inbound("OrderFulfilledEvent", "{\"orderId\":\"o\"}"))).isEmpty();
        assertThat(errors(outbound("InventoryItemReleasedEvent",
            "{\"aggregateId\":\"p\",\"quantity\":1,\"orderId\":\"o\",\"available\":3}"))).isEmpty();
        assertThat(errors(outbound("InventoryItemReleasedEvent",
            "{\"aggregateId\":\"p\",\"quantity\":1,\"orderId\":\"o\",\"available\":3,\"reason\":\"EXPIRED\"}")))
            .isEmpty();
        assertThat(errors(outbound("InventoryFulfilmentFailedEvent",
            "{\"aggregateId\":null,\"orderId\":\"o\",\"reason\":\"UNKNOWN_ORDER\"}"))).isEmpty();
        assertThat(errors(outbound("InventoryItemFulfilledEvent",
            "{\"aggregateId\":\"p\",\"quantity\":2,\"orderId\":\"o\",\"onHand\":8}"))).isEmpty();
    }

    @Test
    void shouldRejectWhatTheServiceRejects() {
        final Map<String, ObjectNode> invalid = new LinkedHashMap<>();
        invalid.put("zero quantity", inbound("OrderCreatedEvent",
            "{\"orderId\":\"o\",\"userId\":\"u\",\"items\":[{\"productId\":\"p\",\"quantity\":0}]}"));
        invalid.put("quantity as text", inbound("OrderCreatedEvent",
            "{\"orderId\":\"o\",\"userId\":\"u\",\"items\":[{\"productId\":\"p\",\"quantity\":\"2\"}]}"));
        invalid.put("no lines", inbound("OrderUpdatedEvent", "{\"orderId\":\"o\",\"userId\":\"u\",\"items\":[]}"));
        invalid.put("no userId", inbound("OrderCancelledEvent", "{\"orderId\":\"o\"}"));
        invalid.put("blank orderId", inbound("OrderCancelledEvent", "{\"orderId\":\"  \",\"userId\":\"u\"}"));
        invalid.put("delta too big", inbound("AdjustInventoryStock", "{\"productId\":\"p\",\"delta\":1000000000001}"));
        invalid.put("price as text", inbound("CreateInventoryItem", "{\"productId\":\"p\",\"title\":\"t\","
            + "\"brand\":\"b\",\"quantity\":1,\"price\":\"9.99\",\"currency\":\"EUR\"}"));
        final ObjectNode wrongType = inbound("OrderCreatedEvent",
            "{\"orderId\":\"o\",\"userId\":\"u\",\"items\":[{\"productId\":\"p\",\"quantity\":1}]}");
        wrongType.put("eventType", "OrderUpdatedEvent");
        invalid.put("eventType of another schema", wrongType);
        final ObjectNode badTimestamp = inbound("OrderCancelledEvent", "{\"orderId\":\"o\",\"userId\":\"u\"}");
        badTimestamp.put("timestamp", true);
        invalid.put("timestamp neither text nor integer", badTimestamp);
        invalid.put("release with an unknown reason", outbound("InventoryItemReleasedEvent",
            "{\"aggregateId\":\"p\",\"quantity\":1,\"orderId\":\"o\",\"available\":3,\"reason\":\"LOST\"}"));
        invalid.put("reserved without available", outbound("InventoryItemReservedEvent",
            "{\"aggregateId\":\"p\",\"quantity\":1,\"orderId\":\"o\",\"userId\":\"u\"}"));
        invalid.put("null aggregateId outside fulfilment failures", outbound("InventoryItemDeletedEvent",
            "{\"aggregateId\":null}"));
        final ObjectNode noCausation = outbound("InventoryItemDeletedEvent", "{\"aggregateId\":\"p\"}");
        ((ObjectNode) noCausation.get("metadata")).remove("causationId");
        invalid.put("outbound without causationId", noCausation);

        invalid.forEach((what, envelope) -> {
            final String schemaFile = what.equals("eventType of another schema") ? "OrderCreatedEvent.json"
                : envelope.path("eventType").asText() + ".json";
            assertThat(SCHEMAS.errors(schemaFile, envelope.toString())).as(what).isNotEmpty();
        });
    }

    @Test
    void shouldFailAPublishedRecordThatBreaksItsTopicsSchema() {
        final byte[] reserved = outbound("InventoryItemReservedEvent",
            "{\"aggregateId\":\"p\",\"quantity\":1,\"orderId\":\"o\",\"userId\":\"u\",\"available\":0}")
            .toString().getBytes(StandardCharsets.UTF_8);
        SCHEMAS.assertPublished("inventory.reserved", reserved, new RecordHeaders());

        assertThatThrownBy(() -> SCHEMAS.assertPublished("inventory.released", reserved, new RecordHeaders()))
            .hasMessageContaining("not a message of inventory.released");
        assertThatThrownBy(() -> SCHEMAS.assertPublished("inventory.reserved",
            "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders())).hasMessageContaining("not valid");
    }

    @Test
    void shouldCheckTheHeadersOfADeadLetter() {
        final RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SCHEMAS.assertPublished("inventory.dlq", new byte[] {1}, headers))
            .hasMessageContaining("not valid");

        final RecordHeaders service = new RecordHeaders(DeadLetters.headers(headers, InvalidReason.NOT_JSON, "x",
            "order.created", 0, 4).toArray());
        SCHEMAS.assertPublished("inventory.dlq", new byte[] {1}, service);
        final RecordHeaders streams = new RecordHeaders();
        for (final String name : List.of("exception", "message", "stacktrace", "topic", "partition", "offset")) {
            streams.add("__streams.errors." + name, "1".getBytes(StandardCharsets.UTF_8));
        }
        SCHEMAS.assertPublished("inventory.dlq", null, streams);
    }

    @Test
    void shouldFailWhenTheServiceAndTheSchemaDisagree() {
        final byte[] fine = inbound("OrderCancelledEvent", "{\"orderId\":\"o\",\"userId\":\"u\"}").toString()
            .getBytes(StandardCharsets.UTF_8);
        final byte[] summedAbove = inbound("OrderCreatedEvent", "{\"orderId\":\"o\",\"userId\":\"u\",\"items\":["
            + "{\"productId\":\"p\",\"quantity\":1000000000000},{\"productId\":\"p\",\"quantity\":1}]}").toString()
            .getBytes(StandardCharsets.UTF_8);

        EventSchemas.assertAgrees(true, List.of(), fine);
        EventSchemas.assertAgrees(false, List.of("an error"), fine);
        assertThatThrownBy(() -> EventSchemas.assertAgrees(true, List.of("an error"), fine))
            .hasMessageContaining("its schema does not");
        assertThatThrownBy(() -> EventSchemas.assertAgrees(false, List.of(), fine))
            .hasMessageContaining("its schema accepts it");
        EventSchemas.assertAgrees(false, List.of(), summedAbove);
    }

    private static Map<String, List<String>> jsonBlocksBySection(final String markdown) {
        final Map<String, List<String>> blocks = new LinkedHashMap<>();
        String section = "";
        StringBuilder block = null;
        for (final String line : markdown.split("\n", -1)) {
            if (block != null) {
                if (line.startsWith("```")) {
                    blocks.computeIfAbsent(section, key -> new ArrayList<>()).add(block.toString());
                    block = null;
                } else {
                    block.append(line).append('\n');
                }
            } else if (line.startsWith("```json")) {
                block = new StringBuilder();
            } else if (line.startsWith("#")) {
                section = line.strip();
            }
        }
        return blocks;
    }
}
