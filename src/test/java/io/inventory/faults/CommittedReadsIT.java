package io.inventory.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * HTTP answers committed state only (issue 14): a stock change that sits in an open transaction is not served,
 * and once that transaction is aborted (the instance is SIGKILLed and its successor fences it), the change is
 * applied exactly once when it is processed again. The service runs as its own JVM (the jar) on a real broker.
 *
 * <p>The open transaction is made observable with a commit interval of a minute: the stock task has processed the
 * adjustment (a {@code read_uncommitted} consumer sees its {@code inventory.updated}) but not committed it.
 */
class CommittedReadsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PRODUCT = "committed-p1";
    private static final long STOCK = 10;
    private static final long DELTA = 5;

    @Test
    void shouldServeOnlyCommittedStockAndApplyAnAbortedChangeOnce() throws Exception {
        final Path work = Runs.workDirectory("committed");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            Runs.createTopics(kafka, 3);
            run(kafka, work);
        }
    }

    private void run(final EmbeddedKafka kafka, final Path work) throws Exception {
        try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers());
             KafkaConsumer<String, String> uncommitted = consumer(kafka.bootstrapServers(), "read_uncommitted");
             KafkaConsumer<String, String> committed = consumer(kafka.bootstrapServers(), "read_committed")) {
            final Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BROKERS", kafka.bootstrapServers(),
                "APPLICATION_ID", "committed-reads-it",
                "TOPIC_PARTITIONS", "3",
                "TOPIC_REPLICATION_FACTOR", "1",
                // Static membership: the run after the SIGKILL takes the partitions back without a session wait.
                "INSTANCE_ID", "reads-0",
                "STREAMS_COMMIT_INTERVAL_MS", "100"));

            // given: a product, committed, as HTTP shows it
            final ServiceProcess first = new ServiceProcess("reads", Runs.serviceJar(), work, env);
            first.start();
            await(first::isReady, Duration.ofSeconds(90), "first run ready");
            producer.send(new ProducerRecord<>(Topics.INVENTORY_COMMANDS.name(), PRODUCT, command("CreateInventoryItem",
                Json.MAPPER.createObjectNode().put("productId", PRODUCT).put("title", PRODUCT).put("brand", "IT")
                    .put("quantity", STOCK).put("price", 1.5).put("currency", "EUR").toString()))).get();
            await(() -> available(first) == STOCK, Duration.ofSeconds(60), "product created");
            assertThat(first.stop()).isZero();

            // when: an adjustment is processed but its transaction stays open (commits once a minute)
            env.put("STREAMS_COMMIT_INTERVAL_MS", "60000");
            env.put("STREAMS_PRODUCER_TRANSACTION_TIMEOUT_MS", "120000");
            final ServiceProcess second = new ServiceProcess("reads", Runs.serviceJar(), work, env);
            second.start();
            await(second::isReady, Duration.ofSeconds(90), "second run ready");
            final String adjustment = UUID.randomUUID().toString();
            producer.send(new ProducerRecord<>(Topics.INVENTORY_COMMANDS.name(), PRODUCT, command(adjustment,
                "AdjustInventoryStock", Json.MAPPER.createObjectNode().put("productId", PRODUCT)
                    .put("delta", DELTA).toString()))).get();
            await(() -> updatesCausedBy(uncommitted, adjustment) > 0, Duration.ofSeconds(60),
                "the adjustment processed, uncommitted");

            // then: HTTP keeps serving the committed stock while the change is uncommitted
            final List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                seen.add(available(second));
                Thread.sleep(100);
            }
            assertThat(seen).as("available while the adjustment is uncommitted").containsOnly(STOCK);
            assertThat(updatesCausedBy(committed, adjustment)).as("committed updates so far").isZero();

            // when: the instance dies with the transaction open; its successor aborts it and processes the command
            second.kill();
            env.put("STREAMS_COMMIT_INTERVAL_MS", "100");
            env.remove("STREAMS_PRODUCER_TRANSACTION_TIMEOUT_MS");
            final ServiceProcess third = new ServiceProcess("reads", Runs.serviceJar(), work, env);
            third.start();
            await(() -> available(third) == STOCK + DELTA, Duration.ofSeconds(90), "adjustment applied");

            // then: applied once, announced once
            Thread.sleep(1000);
            assertThat(available(third)).isEqualTo(STOCK + DELTA);
            assertThat(updatesCausedBy(committed, adjustment)).as("committed updates of the adjustment").isEqualTo(1);
            assertThat(third.stop()).isZero();
        }
    }

    /** How many {@code inventory.updated} caused by {@code commandId} the consumer has read so far (cumulative). */
    private final Map<KafkaConsumer<String, String>, Long> counts = new HashMap<>();

    private long updatesCausedBy(final KafkaConsumer<String, String> consumer, final String commandId) {
        long count = counts.getOrDefault(consumer, 0L);
        for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            final JsonNode envelope = json(record.value());
            if (commandId.equals(envelope.path("metadata").path("causationId").asText(null))) {
                count++;
            }
        }
        counts.put(consumer, count);
        return count;
    }

    private static long available(final ServiceProcess instance) {
        try {
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                instance.uri("/inventory/" + PRODUCT)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? json(response.body()).get("available").asLong() : -1;
        } catch (final IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static JsonNode json(final String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String command(final String eventType, final String payload) {
        return command(UUID.randomUUID().toString(), eventType, payload);
    }

    private static String command(final String eventId, final String eventType, final String payload) {
        return "{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + eventType + "\",\"timestamp\":"
            + System.currentTimeMillis() + ",\"payload\":" + payload + "}";
    }

    private static void await(final java.util.function.BooleanSupplier condition, final Duration timeout,
                              final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static KafkaProducer<String, String> producer(final String bootstrap) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(final String bootstrap, final String isolation) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        final KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props,
            new StringDeserializer(), new StringDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(Topics.INVENTORY_UPDATED.name()).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
