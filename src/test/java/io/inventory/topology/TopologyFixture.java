package io.inventory.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.config.ServiceConfig;
import io.inventory.domain.ProductState;
import io.inventory.schema.EventSchemas;
import io.inventory.serde.InboundReader;
import io.inventory.serde.Json;
import io.inventory.serde.Parsed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology with the production configuration in a {@link TopologyTestDriver}: byte-level inputs
 * as clients send them, outputs read back as JSON.
 *
 * <p>Every record the topology publishes is validated against its published JSON Schema
 * ({@code topology-docs/schemas}) as it is read, and those left unread when the fixture closes; on every inbound
 * record a test sends, the service and its schema must agree ({@link #checkInbound}).
 */
final class TopologyFixture implements AutoCloseable {

    private final ServiceConfig config;
    private final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new HashMap<>();
    private Instant clock = Instant.parse(Envelopes.TIMESTAMP);

    TopologyFixture() {
        this(Map.of());
    }

    TopologyFixture(final Map<String, String> env) {
        final Path stateDir;
        try {
            stateDir = Files.createTempDirectory("ttd-state");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Map<String, String> settings = new HashMap<>(env);
        settings.put("STATE_DIR", stateDir.toString());
        config = ServiceConfig.from(settings);
        final Properties props = config.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The wall clock starts where the records' clock does, as on a running service, so that what the
        // wall-clock punctuator forwards does not leap stream time (which the purge runs on) forward.
        driver = new TopologyTestDriver(InventoryTopology.build(config.topologySettings()), props, clock);
        for (final Topic<String, byte[]> topic : Topics.INBOUND) {
            inputs.put(topic.name(), driver.createInputTopic(topic.name(), new ByteArraySerializer(),
                new ByteArraySerializer()));
        }
        for (final Topic<?, byte[]> topic : Topics.OUTBOUND) {
            outputs.put(topic.name(), driver.createOutputTopic(topic.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()));
        }
    }

    ServiceConfig config() {
        return config;
    }

    /** Sends a record as a client would, keyed by {@code key} (may be null), one millisecond after the last. */
    void send(final Topic<String, byte[]> topic, final String key, final byte[] value) {
        checkInbound(topic, value);
        clock = clock.plusMillis(1);
        inputs.get(topic.name()).pipeInput(new TestRecord<>(key == null ? null : Envelopes.bytes(key), value, null,
            clock));
    }

    /** Creates a product with {@code quantity} units and forgets the events it published. */
    void stock(final String productId, final long quantity) {
        send(Topics.INVENTORY_COMMANDS, productId, Envelopes.createItem("create-" + productId, productId, quantity));
        drainPayloads();
    }

    void send(final Topic<String, byte[]> topic, final byte[] value) {
        send(topic, null, value);
    }

    /** Moves the clock: the next record sent carries a timestamp {@code by} later, and so advances stream time. */
    void advanceClock(final java.time.Duration by) {
        clock = clock.plus(by);
    }

    /** Moves the wall clock, running the wall-clock punctuators (expiry, decision timeouts) that fall due. */
    void advanceWallClock(final java.time.Duration by) {
        driver.advanceWallClockTime(by);
    }

    /** Everything published to {@code topic} since the last read, as envelopes. */
    List<JsonNode> read(final Topic<?, byte[]> topic) {
        final List<JsonNode> events = new ArrayList<>();
        for (final TestRecord<byte[], byte[]> record : readRecords(topic)) {
            events.add(json(record.value()));
        }
        return events;
    }

    /** Everything published to {@code topic} since the last read, with keys and headers; each one validated. */
    List<TestRecord<byte[], byte[]>> readRecords(final Topic<?, byte[]> topic) {
        final List<TestRecord<byte[], byte[]>> records = outputs.get(topic.name()).readRecordsToList();
        for (final TestRecord<byte[], byte[]> record : records) {
            EventSchemas.get().assertPublished(topic.name(), record.value(), record.headers());
        }
        return records;
    }

    /**
     * The service and the published schema agree on every inbound value a test sends: a client validating with
     * the schemas neither refuses what works nor sends what is dead-lettered ({@link EventSchemas#assertAgrees}).
     */
    private static void checkInbound(final Topic<String, byte[]> topic, final byte[] value) {
        final boolean accepted = topic.equals(Topics.INVENTORY_COMMANDS)
            ? InboundReader.readCommand(value) instanceof Parsed.Valid<?>
            : InboundReader.readOrderEvent(InboundParser.expectedEventType(topic.name()), value)
                instanceof Parsed.Valid<?>;
        EventSchemas.assertAgrees(accepted, EventSchemas.get().errorsOnTopic(topic.name(), value), value);
    }

    /** Payloads published on every outbound topic since the last read, by topic (dead letters excluded). */
    Map<String, List<JsonNode>> drainPayloads() {
        final Map<String, List<JsonNode>> byTopic = new HashMap<>();
        for (final Topic<?, byte[]> topic : Topics.OUTBOUND) {
            if (topic.equals(Topics.INVENTORY_DLQ)) {
                continue;
            }
            final List<JsonNode> payloads = new ArrayList<>();
            for (final JsonNode event : read(topic)) {
                payloads.add(event.get("payload"));
            }
            if (!payloads.isEmpty()) {
                byTopic.put(topic.name(), payloads);
            }
        }
        return byTopic;
    }

    boolean nothingPublished() {
        return outputs.values().stream().allMatch(TestOutputTopic::isEmpty);
    }

    ProductState stock(final String productId) {
        final KeyValueStore<String, ProductState> store = driver.getKeyValueStore(Topics.INVENTORY_STORE);
        return store.get(productId);
    }

    KeyValueStore<String, ProductState> inventoryStore() {
        return driver.getKeyValueStore(Topics.INVENTORY_STORE);
    }

    KeyValueStore<String, io.inventory.domain.OrderShare> allocationsStore() {
        return driver.getKeyValueStore(Topics.ALLOCATIONS_STORE);
    }

    /** What the order has of the product in the stock task, or {@code null}. */
    io.inventory.domain.OrderShare share(final String productId, final String orderId) {
        return allocationsStore().get(StockKeeperProcessor.pairKey(productId, orderId));
    }

    KeyValueStore<String, Long> commandIdsStore() {
        return driver.getKeyValueStore(Topics.COMMAND_IDS_STORE);
    }

    KeyValueStore<String, io.inventory.domain.OrderState> ordersStore() {
        return driver.getKeyValueStore(Topics.ORDERS_STORE);
    }

    /** The sum over tasks of the business counter {@code name} (group {@code inventory}). */
    double counter(final String name) {
        return driver.metrics().entrySet().stream()
            .filter(entry -> entry.getKey().group().equals("inventory") && entry.getKey().name().equals(name))
            .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue()).sum();
    }

    KeyValueStore<String, String> dueStore() {
        return driver.getKeyValueStore(Topics.ORDER_DUE_STORE);
    }

    static JsonNode json(final byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates whatever the test left unread, then closes the driver. */
    @Override
    public void close() {
        try {
            for (final Topic<?, byte[]> topic : Topics.OUTBOUND) {
                readRecords(topic);
            }
        } finally {
            driver.close();
        }
    }
}
