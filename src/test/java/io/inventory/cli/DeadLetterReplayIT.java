package io.inventory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.app.InventoryService;
import io.inventory.config.ServiceConfig;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.DeadLetters;
import io.inventory.topology.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code cli dlq} against a real broker and the running service: a poison record is dead-lettered, listed,
 * shown, replayed, dead-lettered again carrying the replay header, and a second replay is refused.
 */
class DeadLetterReplayIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;
    private static InventoryService service;
    private static ServiceConfig cliConfig;

    @BeforeAll
    static void start() throws InterruptedException {
        final Path work = Path.of("target", "it", "dlq-" + UUID.randomUUID());
        kafka = EmbeddedKafka.start(work.resolve("kafka"));
        service = InventoryService.start(ServiceConfig.from(Map.of(
            "KAFKA_BROKERS", kafka.bootstrapServers(),
            "APPLICATION_ID", "dlq-it",
            "STATE_DIR", work.resolve("state").toString(),
            "HTTP_PORT", "0",
            "TOPIC_PARTITIONS", "2")));
        service.awaitRunning(WAIT);
        cliConfig = ServiceConfig.from(Map.of("KAFKA_BROKERS", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** What one CLI run printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private static Run cli(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = DeadLetterCli.run(args, cliConfig, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String key) {
        final Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The committed dead letters keyed {@code key}, once there are {@code count} of them. */
    private static List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(final String key, final int count) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.INVENTORY_DLQ.name()));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (found.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + found.size() + " dead letters keyed " + key);
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        found.add(record);
                    }
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return found;
    }

    @Test
    void shouldListShowAndReplayADeadLetterOnceUnlessForced() throws Exception {
        final byte[] poison = "{\"eventId\": \"e-1\", not json".getBytes(StandardCharsets.UTF_8);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.ORDER_CREATED.name(),
                "poison-1".getBytes(StandardCharsets.UTF_8), poison);
            record.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        final ConsumerRecord<byte[], byte[]> first = awaitDeadLetters("poison-1", 1).get(0);
        final String at = first.partition() + ":" + first.offset();

        final Run list = cli("list", "--reason", "NOT_JSON", "--topic", Topics.ORDER_CREATED.name(), "--since", "1h");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).containsPattern("(?m)^" + at + " +NOT_JSON +order\\.created/\\d+@\\d+ .*\\{\"eventId\"");
        assertThat(cli("list", "--reason", "EMPTY").out()).doesNotContain("NOT_JSON").contains("0 dead letter(s)");

        final Run show = cli("show", at);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("inventory.dlq:" + at, "reason:     NOT_JSON", "trace: t-1",
            "dlq.source.topic: order.created", "key: poison-1", "{\"eventId\": \"e-1\", not json");

        final Run dryRun = cli("replay", "--offset", at, "--dry-run");
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.out()).contains("would replay inventory.dlq:" + at + " -> order.created", "nothing written");

        final Run replay = cli("replay", "--offset", at);
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replayed inventory.dlq:" + at + " -> order.created/");

        // The replay fails the same way: a new dead letter, with the original headers and the replay header.
        final List<ConsumerRecord<byte[], byte[]>> letters = awaitDeadLetters("poison-1", 2);
        final ConsumerRecord<byte[], byte[]> second = letters.get(1);
        assertThat(second.value()).isEqualTo(poison);
        assertThat(header(second, Replays.REPLAYED_FROM)).isEqualTo("inventory.dlq:" + at);
        assertThat(header(second, "trace")).isEqualTo("t-1");
        assertThat(header(second, DeadLetters.REASON)).isEqualTo("NOT_JSON");
        assertThat(header(second, DeadLetters.SOURCE_OFFSET)).isNotEqualTo(header(first, DeadLetters.SOURCE_OFFSET));
        assertThat(second.headers().headers(DeadLetters.REASON)).hasSize(1);

        final Run again = cli("replay", "--offset", at);
        assertThat(again.exit()).isEqualTo(DeadLetterCli.REFUSED);
        assertThat(again.err()).contains("already replayed");
        assertThat(cli("replay", "--offset", at, "--dry-run").exit()).isEqualTo(DeadLetterCli.REFUSED);

        final Run listed = cli("list", "--topic", Topics.ORDER_CREATED.name());
        assertThat(listed.out()).containsPattern("(?m)^" + at + " .*\\[replayed]$")
            .containsPattern("(?m)^" + second.partition() + ":" + second.offset()
                + " .*\\[replay of inventory\\.dlq:" + at + "]$");

        final Run forced = cli("replay", "--offset", at, "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(forced.err()).contains("already replayed");
        assertThat(awaitDeadLetters("poison-1", 3).get(2).value()).isEqualTo(poison);
    }

    @Test
    void shouldReplayAKafkaStreamsDeadLetterFromAnInboundTopicAndRefuseOneFromAnInternalTopic() throws Exception {
        final String command = "{\"eventId\":\"c-replay-1\",\"eventType\":\"CreateInventoryItem\",\"payload\":"
            + "{\"productId\":\"it-replayed\",\"title\":\"t\",\"brand\":\"b\",\"quantity\":4,\"price\":1.5,"
            + "\"currency\":\"EUR\"}}";
        final String fromInbound = streamsDeadLetter(Topics.INVENTORY_COMMANDS.name(), command);
        final String fromInternal = streamsDeadLetter("dlq-it-holds-by-product-repartition", "{\"request\":{}}");

        final Run list = cli("list", "--reason", "IllegalStateException");
        assertThat(list.out()).containsPattern("(?m)^" + fromInbound + " +IllegalStateException +inventory\\.commands/0@5 ")
            .containsPattern("(?m)^" + fromInternal + " +IllegalStateException +dlq-it-holds-by-product-repartition/0@5 ");
        assertThat(cli("show", fromInbound).out()).contains("Kafka Streams", "__streams.errors.stacktrace: java.lang");

        final Run internal = cli("replay", "--offset", fromInternal);
        assertThat(internal.exit()).isEqualTo(DeadLetterCli.REFUSED);
        assertThat(internal.err()).contains("not an inbound topic", "nothing replayed");
        assertThat(cli("replay", "--reason", "IllegalStateException", "--since", "1h").exit())
            .as("a selection with the internal one").isEqualTo(DeadLetterCli.REFUSED);

        final Run replay = cli("replay", "--reason", "IllegalStateException", "--since", "1h", "--topic",
            Topics.INVENTORY_COMMANDS.name());
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replayed inventory.dlq:" + fromInbound + " -> inventory.commands/",
            "1 dead letter(s) replayed");

        // The service applies the replayed command; its event carries the replay header along.
        final ConsumerRecord<byte[], byte[]> created = awaitOne(Topics.INVENTORY_CREATED.name(), "it-replayed");
        assertThat(new String(created.value(), StandardCharsets.UTF_8)).contains("\"quantity\":4");
        assertThat(header(created, Replays.REPLAYED_FROM)).isEqualTo("inventory.dlq:" + fromInbound);
        assertThat(header(created, "trace")).isEqualTo("t-2");
        assertThat(header(created, "__streams.errors.exception")).isNull();
    }

    /** Writes a dead letter as Kafka Streams' exception handler does; returns its P:O. */
    private static String streamsDeadLetter(final String sourceTopic, final String value) throws Exception {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.INVENTORY_DLQ.name(),
                "it-replayed".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
            record.headers().add("trace", "t-2".getBytes(StandardCharsets.UTF_8));
            final Map<String, String> errors = Map.of("exception", "java.lang.IllegalStateException",
                "message", "a bug", "stacktrace", "java.lang.IllegalStateException: a bug\n\tat x.Y.z(Y.java:1)",
                "topic", sourceTopic, "partition", "0", "offset", "5");
            errors.forEach((name, text) -> record.headers().add("__streams.errors." + name,
                text.getBytes(StandardCharsets.UTF_8)));
            final RecordMetadata written = producer.send(record).get();
            return written.partition() + ":" + written.offset();
        }
    }

    private static ConsumerRecord<byte[], byte[]> awaitOne(final String topic, final String key) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && key.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("nothing keyed " + key + " on " + topic);
    }
}
