package io.inventory.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.config.ServiceConfig;
import io.inventory.domain.EventKind;
import io.inventory.serde.InvalidReason;
import io.inventory.serde.Json;
import io.inventory.topology.DeadLetters;
import io.inventory.topology.InventoryTopology;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The business counters, recorded by the production topology with the production configuration in a
 * {@link TopologyTestDriver} and read from {@code driver.metrics()}: what {@link ServiceMetrics} exposes of a
 * running client through {@code KafkaStreams#metrics()}.
 */
class MetricsBusinessCountersTest {

    /** The topic each counted event type is published on. */
    private static final Map<EventKind, String> TOPICS = Map.of(
        EventKind.ITEM_CREATED, "inventory.created",
        EventKind.ITEM_UPDATED, "inventory.updated",
        EventKind.ITEM_DELETED, "inventory.deleted",
        EventKind.RESERVED, "inventory.reserved",
        EventKind.RELEASED, "inventory.released",
        EventKind.INSUFFICIENT, "inventory.insufficient",
        EventKind.RESERVATION_FAILED, "inventory.reservation.failed",
        EventKind.FULFILLED, "inventory.fulfilled",
        EventKind.FULFILMENT_FAILED, "inventory.fulfilment.failed",
        EventKind.COMMAND_REJECTED, "inventory.commands.rejected");

    private TopologyTestDriver driver;
    private Instant clock = Instant.parse("2025-10-30T10:15:30.000Z");

    @BeforeEach
    void setUp() throws IOException {
        final ServiceConfig config = ServiceConfig.from(
            Map.of("STATE_DIR", Files.createTempDirectory("metrics-ttd-state").toString()));
        driver = new TopologyTestDriver(InventoryTopology.build(config.topologySettings()),
            config.streamsProperties());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldHaveOneCounterPerOutboundEventKindOnTheContractsTopic() {
        assertThat(TOPICS).containsOnlyKeys(EventKind.values());
        TOPICS.forEach((kind, topic) -> assertThat(Topics.topicFor(kind).name()).as(kind.name()).isEqualTo(topic));
        assertThat(Arrays.stream(EventKind.values()).map(EventKind::metricName)).doesNotHaveDuplicates();
    }

    @Test
    void shouldRegisterEveryCounterAtZeroPerTaskBeforeTheFirstRecord() {
        for (final EventKind counter : EventKind.values()) {
            assertThat(metrics(TaskSensors.GROUP, counter.metricName()))
                .as(counter.metricName()).isNotEmpty()
                .allSatisfy((name, value) -> {
                    assertThat(name.tags()).containsOnlyKeys("thread-id", "task-id");
                    assertThat(value).isZero();
                });
        }
        assertThat(deadLetterCounts()).containsOnlyKeys(InvalidReason.values()).allSatisfy(
            (reason, count) -> assertThat(count).isZero());
    }

    @Test
    void shouldCountEveryPublishedEventByTypeAndEveryDeadLetterByReason() {
        final List<byte[]> creates = List.of(createItem("c1", "p1", 5));
        final List<byte[]> duplicateCreates = List.of(createItem("c2", "p1", 3));
        final List<byte[]> fittingOrders = List.of(orderCreated("e1", "o1", "p1", 2));
        final List<byte[]> tooLargeOrders = List.of(orderCreated("e2", "o2", "p1", 10));
        final List<byte[]> cancels = List.of(orderCancelled("e3", "o1"));
        final Map<InvalidReason, List<byte[]>> poison = Map.of(
            InvalidReason.NOT_JSON, List.of(bytes("not json")),
            InvalidReason.NOT_AN_ENVELOPE, List.of(bytes("{\"hello\":\"world\"}"), bytes("[1,2]")));

        creates.forEach(value -> send(Topics.INVENTORY_COMMANDS.name(), value));
        duplicateCreates.forEach(value -> send(Topics.INVENTORY_COMMANDS.name(), value));
        fittingOrders.forEach(value -> send(Topics.ORDER_CREATED.name(), value));
        tooLargeOrders.forEach(value -> send(Topics.ORDER_CREATED.name(), value));
        cancels.forEach(value -> send(Topics.ORDER_CANCELLED.name(), value));
        poison.values().forEach(values -> values.forEach(value -> send(Topics.ORDER_CREATED.name(), value)));

        final Map<EventKind, Double> counted = eventCounts();
        assertThat(counted).isEqualTo(publishedByType());
        assertThat(counted)
            .containsEntry(EventKind.ITEM_CREATED, (double) creates.size())
            .containsEntry(EventKind.COMMAND_REJECTED, (double) duplicateCreates.size())
            .containsEntry(EventKind.RESERVED, (double) fittingOrders.size())
            .containsEntry(EventKind.INSUFFICIENT, (double) tooLargeOrders.size())
            .containsEntry(EventKind.RESERVATION_FAILED, (double) tooLargeOrders.size())
            .containsEntry(EventKind.RELEASED, (double) cancels.size());

        final Map<InvalidReason, Double> deadLetters = deadLetterCounts();
        assertThat(deadLetters).isEqualTo(deadLettersByReasonHeader());
        poison.forEach((reason, values) -> assertThat(deadLetters).containsEntry(reason, (double) values.size()));
    }

    private void send(final String topic, final byte[] value) {
        clock = clock.plusMillis(1);
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
            .pipeInput(new TestRecord<>(null, value, null, clock));
    }

    /** The values of metric {@code group/name}, one per tag set (per task). */
    private Map<MetricName, Double> metrics(final String group, final String name) {
        final Map<MetricName, Double> values = new HashMap<>();
        driver.metrics().forEach((metricName, metric) -> {
            if (metricName.group().equals(group) && metricName.name().equals(name)) {
                values.put(metricName, ((Number) metric.metricValue()).doubleValue());
            }
        });
        return values;
    }

    private static double sum(final Map<MetricName, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private Map<EventKind, Double> eventCounts() {
        final Map<EventKind, Double> counts = new EnumMap<>(EventKind.class);
        for (final EventKind counter : EventKind.values()) {
            counts.put(counter, sum(metrics(TaskSensors.GROUP, counter.metricName())));
        }
        return counts;
    }

    private Map<InvalidReason, Double> deadLetterCounts() {
        final Map<InvalidReason, Double> counts = new EnumMap<>(InvalidReason.class);
        metrics(TaskSensors.GROUP, DeadLetterCounters.NAME).forEach((name, value) -> counts.merge(
            InvalidReason.valueOf(name.tags().get(DeadLetterCounters.REASON_TAG)), value, Double::sum));
        return counts;
    }

    /** How many records the topology published on each counted event type's topic. */
    private Map<EventKind, Double> publishedByType() {
        final Map<EventKind, Double> published = new EnumMap<>(EventKind.class);
        TOPICS.forEach((counter, topic) -> published.put(counter, (double) driver
            .createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).getQueueSize()));
        return published;
    }

    /** How many dead letters carry each reason in their {@code dlq.reason} header; zero for the others. */
    private Map<InvalidReason, Double> deadLettersByReasonHeader() {
        final Map<InvalidReason, Double> byReason = new EnumMap<>(InvalidReason.class);
        Arrays.stream(InvalidReason.values()).forEach(reason -> byReason.put(reason, 0.0));
        driver.createOutputTopic(Topics.INVENTORY_DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
            .readRecordsToList().forEach(record -> byReason.merge(InvalidReason.valueOf(new String(
                record.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8)), 1.0, Double::sum));
        return byReason;
    }

    private static byte[] createItem(final String eventId, final String productId, final long quantity) {
        return envelope(eventId, "CreateInventoryItem", Json.MAPPER.createObjectNode().put("productId", productId)
            .put("title", "Widget").put("brand", "Acme").put("quantity", quantity).put("price", 9.99)
            .put("currency", "EUR"));
    }

    private static byte[] orderCreated(final String eventId, final String orderId, final String productId,
                                       final long quantity) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", orderId).put("userId", "user-1");
        payload.putArray("items").addObject().put("productId", productId).put("quantity", quantity);
        return envelope(eventId, "OrderCreatedEvent", payload);
    }

    private static byte[] orderCancelled(final String eventId, final String orderId) {
        return envelope(eventId, "OrderCancelledEvent", Json.MAPPER.createObjectNode().put("orderId", orderId)
            .put("userId", "user-1").put("reason", "customer asked"));
    }

    private static byte[] envelope(final String eventId, final String eventType, final ObjectNode payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventId", eventId)
            .put("eventType", eventType).put("timestamp", "2025-10-30T10:15:30.000Z");
        envelope.set("payload", payload);
        envelope.putObject("metadata").put("userId", "user-1").put("correlationId", "corr-" + eventId);
        return bytes(envelope.toString());
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
