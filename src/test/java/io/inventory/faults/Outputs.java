package io.inventory.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.HashSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A {@code read_committed} consumer of every outbound topic on a background thread, keeping every record in the
 * order of its partition: what a downstream consumer of the service would have seen.
 */
final class Outputs implements AutoCloseable {

    /** One outbound record; {@code envelope} is {@code null} on the DLQ or when the value is not JSON. */
    record Out(String topic, int partition, long offset, String key, byte[] value, Map<String, String> headers,
               JsonNode envelope) {

        String eventId() {
            return text(envelope, "eventId");
        }

        String eventType() {
            return text(envelope, "eventType");
        }

        String cause() {
            return envelope == null ? null : text(envelope.get("metadata"), "causationId");
        }

        JsonNode payload() {
            return envelope == null ? null : envelope.get("payload");
        }

        String field(final String name) {
            return text(payload(), name);
        }

        long number(final String name) {
            final JsonNode payload = payload();
            return payload == null || !payload.hasNonNull(name) ? Long.MIN_VALUE : payload.get(name).asLong();
        }

        private static String text(final JsonNode node, final String name) {
            return node == null || !node.hasNonNull(name) ? null : node.get(name).asText();
        }

        @Override
        public String toString() {
            return topic + "[" + partition + "@" + offset + "] key=" + key + " "
                + (envelope == null ? Workload.printable(value) + " " + headers : envelope.toString());
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Out> records = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    Outputs(final String bootstrapServers) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        // Assigned, not subscribed: no group, so nothing can make it start over (a group whose offsets were never
        // committed would re-read everything after a broker restart).
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : Topic.names(Topics.OUTBOUND)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "faults-outputs");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                final List<Out> batch = new ArrayList<>();
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // A consumer's own re-read is no duplicate of the service: keep each offset once.
                    if (seen.add(record.topic() + "/" + record.partition() + "/" + record.offset())) {
                        batch.add(toOut(record));
                    }
                }
                if (!batch.isEmpty()) {
                    synchronized (records) {
                        records.addAll(batch);
                    }
                }
            }
        } catch (final WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static Out toOut(final ConsumerRecord<String, byte[]> record) {
        final Map<String, String> headers = new HashMap<>();
        for (final Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8));
        }
        JsonNode envelope = null;
        if (!record.topic().equals(Topics.INVENTORY_DLQ.name()) && record.value() != null) {
            try {
                envelope = Json.MAPPER.readTree(record.value());
            } catch (final IOException e) {
                envelope = null;
            }
        }
        return new Out(record.topic(), record.partition(), record.offset(), record.key(), record.value(), headers,
            envelope);
    }

    int size() {
        synchronized (records) {
            return records.size();
        }
    }

    List<Out> snapshot() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** Waits until no new record arrived for {@code quiet}, or {@code max} passed; true if it went quiet. */
    boolean awaitQuiet(final Duration quiet, final Duration max) throws InterruptedException {
        final long deadline = System.nanoTime() + max.toNanos();
        int last = size();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            final int now = size();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
