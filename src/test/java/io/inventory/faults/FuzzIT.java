package io.inventory.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.faults.Outputs.Out;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Topic fuzz: a seeded generator writes hostile records to every inbound topic of one running instance (a separate
 * JVM, as in {@link FaultsIT}): random bytes, truncated envelopes, oversized values (one just under the broker's
 * message size limit), deep JSON nesting, huge and fractional numbers, wrong types, and unicode edge cases (ids
 * made of emoji, zero-width and right-to-left characters, NUL, lone surrogates, invalid and overlong UTF-8, a BOM).
 *
 * <p>Checks: the instance never exits and is ready at the end; every record is either in {@code inventory.dlq}
 * (matched by its {@code dlq.source.*} headers, with a {@code dlq.reason}) or was processed, which for an
 * envelope that parses means an outbound event caused by its {@code eventId} (the generated valid-looking records
 * name unknown products or orders, so each is answered) or, for a cancel, the order is known afterwards; nothing
 * else is dead-lettered. Prints {@code fuzz: records=N dlq=D processed=P violations=V}.
 *
 * <pre>
 * mvn -o verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FuzzIT [-Dfuzz.records=2000]
 * </pre>
 */
class FuzzIT {

    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([0-9a-f-]{36})\"");

    private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
    private final int count = Integer.getInteger("fuzz.records", 400);
    private final Random random = new Random(seed);

    private record Fuzzed(String topic, String kind, byte[] value, String eventId, String orderId) {
    }

    @Test
    void shouldDeadLetterOrProcessEveryHostileRecordAndKeepRunning() throws Exception {
        final Path jar = Runs.serviceJar();
        final Path work = Runs.workDirectory("fuzz");
        System.out.println("fuzz: seed=" + seed + " work=" + work);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            Runs.createTopics(kafka, 4);
            final Map<String, String> env = Map.of("KAFKA_BROKERS", kafka.bootstrapServers(),
                "APPLICATION_ID", "fuzz-it", "TOPIC_PARTITIONS", "4", "STREAMS_COMMIT_INTERVAL_MS", "100");
            try (Cluster cluster = new Cluster(jar, work, env, "fuzz");
                 Outputs outputs = new Outputs(kafka.bootstrapServers());
                 KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
                final ServiceProcess instance = cluster.get("fuzz");
                cluster.start(instance);
                assertThat(cluster.awaitReady(Duration.ofSeconds(120), () -> cluster.checkDeaths(true))).isTrue();

                final List<Fuzzed> records = new ArrayList<>();
                final List<RecordMetadata> coordinates = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    final Fuzzed record = next();
                    records.add(record);
                    coordinates.add(producer.send(new ProducerRecord<>(record.topic(),
                        random.nextBoolean() ? null : record.kind().getBytes(StandardCharsets.UTF_8),
                        record.value())).get());
                    cluster.checkDeaths(true);
                }
                outputs.awaitQuiet(Duration.ofSeconds(6), Duration.ofSeconds(120));
                cluster.checkDeaths(true);
                final List<String> violations = new ArrayList<>(cluster.violations());
                if (!instance.isAlive() || !instance.isReady()) {
                    violations.add("the instance is not running and ready at the end; log tail:\n" + instance.tail(60));
                }

                final Map<String, List<Out>> dlq = new HashMap<>();
                final Set<String> causes = new HashSet<>();
                for (final Out out : outputs.snapshot()) {
                    if (out.topic().equals(Topics.INVENTORY_DLQ.name())) {
                        dlq.computeIfAbsent(out.headers().get("dlq.source.topic") + "/"
                            + out.headers().get("dlq.source.partition") + "/" + out.headers().get("dlq.source.offset"),
                            k -> new ArrayList<>()).add(out);
                    } else if (out.cause() != null) {
                        causes.add(out.cause());
                    }
                }
                int deadLettered = 0;
                int processed = 0;
                for (int i = 0; i < records.size(); i++) {
                    final Fuzzed record = records.get(i);
                    final RecordMetadata at = coordinates.get(i);
                    final List<Out> letters = dlq.remove(at.topic() + "/" + at.partition() + "/" + at.offset());
                    final String where = record.kind() + " on " + record.topic() + "[" + at.partition() + "@"
                        + at.offset() + "] " + Workload.printable(record.value());
                    if (letters != null) {
                        deadLettered++;
                        if (letters.size() != 1 || letters.get(0).headers().get("dlq.reason") == null
                            || !Arrays.equals(letters.get(0).value(), record.value())) {
                            violations.add("dead-lettered " + letters.size() + " times or without reason or bytes: "
                                + where + " -> " + letters);
                        }
                    } else if (record.eventId() != null && (causes.contains(record.eventId())
                        || isKnownOrder(cluster, record))) {
                        processed++;
                    } else {
                        violations.add("neither processed nor dead-lettered: " + where);
                    }
                }
                dlq.values().forEach(letters -> letters.forEach(letter ->
                    violations.add("unexpected dead letter: " + letter)));
                System.out.printf("fuzz: records=%d dlq=%d processed=%d violations=%d%n", records.size(),
                    deadLettered, processed, violations.size());
                violations.forEach(v -> System.out.println("fuzz: VIOLATION " + v));
                assertThat(violations).as("violations (seed %d)", seed).isEmpty();
            }
        }
    }

    /** A cancel of an unknown order answers nothing: it is processed if the order is known afterwards. */
    private static boolean isKnownOrder(final Cluster cluster, final Fuzzed record) throws InterruptedException {
        if (!record.topic().equals(Topics.ORDER_CANCELLED.name()) || record.orderId() == null) {
            return false;
        }
        final JsonNode view = cluster.query("/orders/" + URLEncoder.encode(record.orderId(), StandardCharsets.UTF_8)
            .replace("+", "%20"), Duration.ofSeconds(30));
        return view != null && "CANCELLED".equals(view.path("status").asText());
    }

    private Fuzzed next() {
        final String topic = Topics.INBOUND.get(random.nextInt(Topics.INBOUND.size())).name();
        final String eventId = UUID.randomUUID().toString();
        final String orderId = "fz-" + random.nextInt(1_000_000);
        final String kind;
        final String text;
        switch (random.nextInt(10)) {
            case 0 -> {
                final byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                return new Fuzzed(topic, "random-bytes", bytes, null, null);
            }
            case 1 -> {
                final byte[] whole = valid(topic, eventId, orderId, "\"fz-p\"", "1");
                return new Fuzzed(topic, "truncated", Arrays.copyOf(whole, random.nextInt(whole.length)), null, null);
            }
            case 2 -> {
                // Either comfortably large, or a value just under the broker's 1 MiB limit: its dead letter, with
                // the dlq.* headers added, would be larger than the record itself.
                final int size = random.nextInt(4) == 0 ? 1_047_000 : 1000 + random.nextInt(300_000);
                final String padding = "x".repeat(size);
                kind = "oversized";
                text = random.nextBoolean()
                    ? "{\"eventId\":\"" + eventId + "\",\"junk\":\"" + padding + "\"}"
                    : new String(valid(topic, eventId, orderId, "\"fz-" + padding.substring(0, 150) + "\"", "1"),
                        StandardCharsets.UTF_8).replace("\"payload\":{", "\"pad\":\"" + padding + "\",\"payload\":{");
            }
            case 3 -> {
                final int depth = 10 + random.nextInt(5000);
                kind = "deep-nesting-" + depth;
                final String nested = "[".repeat(depth) + "1" + "]".repeat(depth);
                text = new String(valid(topic, eventId, orderId, "\"fz-p\"", "1"), StandardCharsets.UTF_8)
                    .replace("\"payload\":{", "\"payload\":{\"deep\":" + nested + ",");
            }
            case 4 -> {
                final String[] numbers = {"1e400", "99999999999999999999999999", "-1", "0", "1.5", "2.0", "1e3",
                    "-0", "1000000000001", "9223372036854775808", "NaN", "Infinity", "0x10", "1E-7"};
                final String number = numbers[random.nextInt(numbers.length)];
                kind = "number-" + number;
                text = new String(valid(topic, eventId, orderId, "\"fz-p\"", number), StandardCharsets.UTF_8);
            }
            case 5 -> {
                final String[][] swaps = {{"\"eventId\":\"" + eventId + "\"", "\"eventId\":12345"},
                    {"\"payload\":{", "\"payload\":[{"}, {"\"items\":[", "\"items\":{\"a\":["},
                    {"\"productId\":\"fz-p\"", "\"productId\":{\"id\":1}"}, {"\"userId\":\"fz-u\"", "\"userId\":null"},
                    {"\"orderId\":\"" + orderId + "\"", "\"orderId\":true"}, {"\"timestamp\":1", "\"timestamp\":\"x\""},
                    {"\"eventType\":\"", "\"eventType\":\"X"}, {"\"metadata\":{}", "\"metadata\":\"m\""}};
                final String[] swap = swaps[random.nextInt(swaps.length)];
                kind = "wrong-type " + swap[1];
                text = new String(valid(topic, eventId, orderId, "\"fz-p\"", "1"), StandardCharsets.UTF_8)
                    .replace(swap[0], swap[1]);
            }
            case 6, 7 -> {
                final String[] ids = {"\"fz-\\ud83d\\ude00\"", "\"fz-😀🏳️‍🌈\"", "\"fz-\u200b\u200d\"", "\"fz-\u202eevil\"",
                    "\"fz-\\u0000\"", "\"fz-\\ud800\"", "\"\u00a0\"", "\"" + "ü".repeat(199) + "\"",
                    "\"" + "p".repeat(201) + "\"", "\"fz/../%2F?x=1#\"", "\"   \"", "\"\""};
                final String id = ids[random.nextInt(ids.length)];
                kind = "unicode " + id;
                text = new String(valid(topic, eventId, orderId, id, "1"), StandardCharsets.UTF_8);
            }
            case 8 -> {
                final byte[][] raw = {{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xC0, (byte) 0xAF},
                    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}};
                final byte[] insert = raw[random.nextInt(raw.length)];
                final byte[] base = valid(topic, eventId, orderId, "\"fz-p\"", "1");
                final int at = random.nextBoolean() ? 0 : indexOf(base, "fz-p".getBytes(StandardCharsets.UTF_8));
                final byte[] value = new byte[base.length + insert.length];
                System.arraycopy(base, 0, value, 0, at);
                System.arraycopy(insert, 0, value, at, insert.length);
                System.arraycopy(base, at, value, at + insert.length, base.length - at);
                return new Fuzzed(topic, "bad-utf8 " + Workload.printable(insert), value, eventId, orderId);
            }
            default -> {
                kind = "valid";
                text = new String(valid(topic, eventId, orderId, "\"fz-p" + random.nextInt(5) + "\"", "1"),
                    StandardCharsets.UTF_8);
            }
        }
        final Matcher matcher = EVENT_ID.matcher(text.length() > 200 ? text.substring(0, 200) : text);
        return new Fuzzed(topic, kind, text.getBytes(StandardCharsets.UTF_8), matcher.find() ? matcher.group(1) : null,
            orderId);
    }

    /** A well-formed envelope for the topic, naming products and orders the service does not know. */
    private static byte[] valid(final String topic, final String eventId, final String orderId, final String productId,
                                final String quantity) {
        final boolean lines = topic.equals(Topics.ORDER_CREATED.name()) || topic.equals(Topics.ORDER_UPDATED.name());
        final boolean cancel = topic.equals(Topics.ORDER_CANCELLED.name());
        final String payload = lines ? "{\"orderId\":\"" + orderId
                + "\",\"userId\":\"fz-u\",\"items\":[{\"productId\":" + productId + ",\"quantity\":" + quantity + "}]}"
            : cancel ? "{\"orderId\":\"" + orderId + "\",\"userId\":\"fz-u\"}"
            : "{\"productId\":" + productId + ",\"delta\":" + quantity + "}";
        final String type = topic.equals(Topics.ORDER_CREATED.name()) ? "OrderCreatedEvent"
            : topic.equals(Topics.ORDER_UPDATED.name()) ? "OrderUpdatedEvent"
            : cancel ? "OrderCancelledEvent"
            : "AdjustInventoryStock";
        return ("{\"eventId\":\"" + eventId + "\",\"eventType\":\"" + type + "\",\"timestamp\":1,\"payload\":"
            + payload + ",\"metadata\":{}}").getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return 0;
    }

    private static KafkaProducer<byte[], byte[]> producer(final String bootstrapServers) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
