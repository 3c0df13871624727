package io.inventory.bench;

import io.inventory.app.InventoryService;
import io.inventory.config.ServiceConfig;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One benchmark scenario on its own fresh KRaft broker (so no scenario reads another's input): the broker, the
 * service instances started in this JVM, a producer of inbound records and a {@link Watcher} of the outbound ones.
 */
final class Session implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Session.class);

    static final String APPLICATION_ID = "bench";
    static final int PARTITIONS = 3;

    private final Path dir;
    private final EmbeddedKafka kafka;
    private final KafkaProducer<String, byte[]> producer;
    private final List<InventoryService> services = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private Watcher watcher;
    private char nextPrefix = 'a';
    private int products;

    private Session(final Path dir, final EmbeddedKafka kafka) {
        this.dir = dir;
        this.kafka = kafka;
        this.producer = producer(kafka.bootstrapServers(), 5);
    }

    /** Starts a fresh broker; whatever an earlier run left in {@code dir} (state directories) is removed first. */
    static Session start(final Path dir) throws java.io.IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
                for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(path);
                }
            }
        }
        return new Session(dir, EmbeddedKafka.start(dir.resolve("kafka")));
    }

    static KafkaProducer<String, byte[]> producer(final String bootstrap, final int lingerMs) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    Path dir() {
        return dir;
    }

    /** Starts an instance in this JVM and waits until it is RUNNING. */
    InventoryService startService(final String name, final Map<String, String> extra) throws InterruptedException {
        final InventoryService service = InventoryService.start(ServiceConfig.from(env(name, extra)));
        services.add(service);
        service.awaitRunning(Duration.ofSeconds(90));
        if (watcher == null) {
            watcher = new Watcher(kafka.bootstrapServers());
        }
        return service;
    }

    /** The environment of an instance named {@code name}, as a deployment would set it. */
    Map<String, String> env(final String name, final Map<String, String> extra) {
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", kafka.bootstrapServers());
        env.put("KAFKA_CLIENT_ID", name);
        env.put("APPLICATION_ID", APPLICATION_ID);
        env.put("STATE_DIR", dir.resolve("state-" + name).toString());
        env.put("HTTP_PORT", "0");
        env.put("ADVERTISED_HOST", "127.0.0.1");
        env.put("TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
        env.putAll(extra);
        return env;
    }

    /** Starts watching the outbound topics of an instance running outside this JVM (its topics must exist). */
    void watchExternal() {
        if (watcher == null) {
            watcher = new Watcher(kafka.bootstrapServers());
        }
    }

    void stopService(final InventoryService service) {
        services.remove(service);
        service.close();
    }

    /** Stops every instance of this session (the broker and its topics stay). */
    void closeServices() {
        for (final InventoryService service : List.copyOf(services)) {
            stopService(service);
        }
    }

    Watcher watcher() {
        return watcher;
    }

    /** A fresh order-id prefix, so a run's latency probe never matches another run's orders. */
    char prefix() {
        final char prefix = nextPrefix;
        nextPrefix = nextPrefix == 'z' ? 'A' : (char) (nextPrefix + 1);
        return prefix;
    }

    int products() {
        return products;
    }

    /** Creates products up to {@code total} and waits for their {@code inventory.created}; returns products/s. */
    double loadProducts(final int total) {
        final long before = watcher.count(Topics.INVENTORY_CREATED.name());
        final int added = total - products;
        final long started = System.nanoTime();
        for (int i = products; i < total; i++) {
            final String id = Envelopes.productId(i);
            producer.send(new ProducerRecord<>(Topics.INVENTORY_COMMANDS.name(), id, Envelopes.createItem(id)));
        }
        producer.flush();
        await(() -> watcher.count(Topics.INVENTORY_CREATED.name()), before + added, added, "products");
        products = total;
        final double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info("bench: {} products loaded in {} s", added, String.format("%.1f", seconds));
        return added / seconds;
    }

    /** What a throughput run saw. */
    record Throughput(int orders, int lines, double seconds, double recordsWritten) {
        double ordersPerSecond() {
            return orders / seconds;
        }

        double recordsPerSecond() {
            return recordsWritten / seconds;
        }
    }

    /**
     * Sends {@code orders} orders of {@code lines} distinct products and times them until every line's
     * {@code inventory.reserved} is read. With {@code backlog} the instance is paused while they are sent, so it
     * starts on a pre-loaded backlog; otherwise the producer runs alongside. {@code service} is null for an
     * instance in another process (no backlog, no producer metrics).
     */
    Throughput orders(final InventoryService service, final int orders, final int lines, final boolean backlog) {
        final char prefix = prefix();
        final long before = watcher.count(Topics.INVENTORY_RESERVED.name());
        final double writtenBefore = service == null ? 0 : recordsWritten(service.streams());
        if (backlog) {
            service.streams().pause();
        }
        long started = System.nanoTime();
        for (int i = 0; i < orders; i++) {
            final String orderId = prefix + Integer.toString(i);
            producer.send(new ProducerRecord<>(Topics.ORDER_CREATED.name(), orderId,
                Envelopes.orderCreated(orderId, pick(lines))));
        }
        producer.flush();
        if (backlog) {
            started = System.nanoTime();
            service.streams().resume();
        }
        await(() -> watcher.count(Topics.INVENTORY_RESERVED.name()), before + (long) orders * lines, orders, "orders");
        final double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info("bench: {} {}-line orders ({}) in {} s", orders, lines, backlog ? "backlog" : "alongside",
            String.format("%.1f", seconds));
        return new Throughput(orders, lines, seconds,
            service == null ? Double.NaN : recordsWritten(service.streams()) - writtenBefore);
    }

    /** Orders sent at a fixed rate, timed from their intended send time to their reserved event. */
    record Latency(Histogram histogram, int sent, long received) {
        double millis(final double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** Single-line orders at {@code perSecond} for {@code duration}: order-to-reserved latency, CO-corrected. */
    Latency latency(final double perSecond, final Duration duration) {
        final int count = Math.max(10, (int) (perSecond * duration.toNanos() / 1e9));
        final Watcher.Probe probe = Watcher.Probe.of(prefix(), count);
        watcher.probe(probe);
        sendOrders(producer, probe, perSecond, orderId -> Envelopes.orderCreated(orderId, pick(1)));
        Watcher.await(() -> probe.received().get(), count, Duration.ofSeconds(30));
        watcher.probe(null);
        LOG.info("bench: {} orders at {}/s, p99 {} ms", count, Math.round(perSecond),
            String.format("%.0f", probe.histogram().getValueAtPercentile(99) / 1e6));
        return new Latency(probe.histogram(), count, probe.received().get());
    }

    /**
     * Sends one {@code order.created} per slot of {@code probe} at a fixed rate, noting each order's intended send
     * time in the probe (latency counts from there, so a stalled sender does not hide a slow service), then flushes.
     */
    static void sendOrders(final KafkaProducer<String, byte[]> producer, final Watcher.Probe probe,
                           final double perSecond, final Function<String, byte[]> order) {
        final long interval = (long) (1e9 / perSecond);
        final long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < probe.intendedNanos().length; i++) {
            final long intended = start + i * interval;
            probe.intendedNanos()[i] = intended;
            final long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            final String orderId = probe.prefix() + Integer.toString(i);
            producer.send(new ProducerRecord<>(Topics.ORDER_CREATED.name(), orderId, order.apply(orderId)));
        }
        producer.flush();
    }

    /**
     * The broker's own end-to-end latency at the same fixed rate and record size: a producer and a consumer of a
     * plain topic, timed from the intended send time like {@link #latency}.
     */
    Latency brokerLatency(final double perSecond, final Duration duration, final int recordBytes)
        throws InterruptedException {
        final String topic = "bench.probe." + prefix();
        final int count = Math.max(10, (int) (perSecond * duration.toNanos() / 1e9));
        final long[] intended = new long[count];
        final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        final AtomicLong received = new AtomicLong();
        kafka.createTopics(Map.of(topic, PARTITIONS));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.bootstrapServers());
             KafkaProducer<String, byte[]> probe = producer(kafka.bootstrapServers(), 0)) {
            final List<TopicPartition> partitions = partitions(consumer, List.of(topic));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.poll(Duration.ofMillis(100));
            final Thread reader = new Thread(() -> {
                final long deadline = System.nanoTime() + duration.toNanos() + Duration.ofSeconds(30).toNanos();
                while (received.get() < count && System.nanoTime() < deadline) {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        final int seq = ByteBuffer.wrap(record.value()).getInt();
                        histogram.recordValue(Math.max(0, System.nanoTime() - intended[seq]));
                        received.incrementAndGet();
                    }
                }
            }, "bench-broker-probe");
            final long interval = (long) (1e9 / perSecond);
            final long start = System.nanoTime() + 50_000_000L;
            for (int i = 0; i < count; i++) {
                intended[i] = start + i * interval;
            }
            reader.start();
            for (int i = 0; i < count; i++) {
                final long wait = intended[i] - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                final byte[] value = new byte[recordBytes];
                ByteBuffer.wrap(value).putInt(i);
                probe.send(new ProducerRecord<>(topic, Integer.toString(i), value));
            }
            probe.flush();
            reader.join();
        }
        return new Latency(histogram, count, received.get());
    }

    /** Records/s of a raw pipe: a producer and a consumer of {@code records} records of {@code bytes} bytes. */
    double rawPipe(final long records, final int bytes) throws InterruptedException {
        final String topic = "bench.raw." + prefix();
        kafka.createTopics(Map.of(topic, PARTITIONS));
        final AtomicLong consumed = new AtomicLong();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.bootstrapServers())) {
            final List<TopicPartition> partitions = partitions(consumer, List.of(topic));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.poll(Duration.ofMillis(100));
            final Thread reader = new Thread(() -> {
                final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (consumed.get() < records && System.nanoTime() < deadline) {
                    consumed.addAndGet(consumer.poll(Duration.ofMillis(20)).count());
                }
            }, "bench-raw-consumer");
            final byte[] value = new byte[bytes];
            final long started = System.nanoTime();
            reader.start();
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, Long.toString(i), value));
            }
            producer.flush();
            reader.join();
            return consumed.get() / ((System.nanoTime() - started) / 1e9);
        }
    }

    /** Reads the given topics from the beginning to their end; returns {records, seconds}. */
    double[] consumeAll(final List<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.bootstrapServers())) {
            final long started = System.nanoTime();
            final List<TopicPartition> partitions = partitions(consumer, topics);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                records += consumer.poll(Duration.ofMillis(50)).count();
            }
            return new double[] {records, (System.nanoTime() - started) / 1e9};
        }
    }

    static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(final KafkaConsumer<?, ?> consumer, final List<String> topics) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : topics) {
            // A topic created a moment ago can come back with no partitions until the broker's metadata has it;
            // assigning none would make the first poll throw.
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            while (infos.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + topic, e);
                }
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            if (infos.isEmpty()) {
                throw new IllegalStateException("no partitions of " + topic + " after 30 s");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    /** {@code --name value} pairs of a benchmark's command line, in order. */
    static Map<String, String> options(final String[] args) {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** Records the instance's producers sent (outbound, repartition, replies and changelog records). */
    static double recordsWritten(final KafkaStreams streams) {
        double sum = 0;
        for (final Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            if (metric.getKey().name().equals("record-send-total")
                && metric.getKey().group().equals("producer-metrics")
                && metric.getValue().metricValue() instanceof Number number) {
                sum += number.doubleValue();
            }
        }
        return sum;
    }

    private String[] pick(final int lines) {
        final String[] ids = new String[lines];
        final int first = random.nextInt(products);
        for (int i = 0; i < lines; i++) {
            // Distinct products: consecutive ids from a random start.
            ids[i] = Envelopes.productId((first + i * (products / lines)) % products);
        }
        return ids;
    }

    private void await(final java.util.function.LongSupplier done, final long target, final int items,
                       final String what) {
        final Duration timeout = Duration.ofSeconds(Math.max(60, items / 50));
        if (!Watcher.await(done, target, timeout)) {
            throw new IllegalStateException(what + ": only " + done.getAsLong() + " of " + target
                + " outbound events after " + timeout + "; failures so far " + watcher.failures());
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (final InventoryService service : List.copyOf(services)) {
            service.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        producer.close();
        kafka.close();
    }
}
