package io.inventory.bench;

import io.inventory.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A {@code read_committed} consumer of the outbound topics, as the service's clients see them: counts records per
 * topic and, while a {@link Probe} is set, times each {@code inventory.reserved} of the probe's orders from the
 * moment its order was meant to be sent.
 */
final class Watcher implements AutoCloseable {

    /** The send schedule of one fixed-rate run: latency counts from the intended time, not the actual send. */
    record Probe(char prefix, long[] intendedNanos, long[] receivedNanos, Histogram histogram, AtomicLong received) {
        static Probe of(final char prefix, final int orders) {
            return new Probe(prefix, new long[orders], new long[orders], new Histogram(3_600_000_000_000L, 3),
                new AtomicLong());
        }
    }

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Probe probe;
    private volatile java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> tap;

    Watcher(final String bootstrapServers) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : Envelopes.WATCHED) {
            counts.put(topic, new AtomicLong());
            for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        final long now = System.nanoTime();
                        final Probe current = probe;
                        if (current != null && record.topic().equals(Topics.INVENTORY_RESERVED.name())) {
                            final long seq = Envelopes.orderSequence(record.value(), current.prefix());
                            if (seq >= 0 && seq < current.intendedNanos().length) {
                                current.histogram().recordValue(Math.max(0, now - current.intendedNanos()[(int) seq]));
                                current.receivedNanos()[(int) seq] = now;
                                current.received().incrementAndGet();
                            }
                        }
                        counts.get(record.topic()).incrementAndGet();
                        final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> current2 = tap;
                        if (current2 != null) {
                            current2.accept(record);
                        }
                    }
                }
            }
        }, "bench-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Shows every record read from now on to {@code tap}, on the watcher's thread. */
    void tap(final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> newTap) {
        tap = newTap;
    }

    long count(final String topic) {
        return counts.get(topic).get();
    }

    void probe(final Probe next) {
        probe = next;
    }

    /** Waits until {@code done} reaches {@code target}; false after {@code timeout}. */
    static boolean await(final LongSupplier done, final long target, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (done.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Records that went to the error topics: a benchmark run with any of them is not a valid run. */
    long failures() {
        return count(Topics.INVENTORY_INSUFFICIENT.name()) + count(Topics.INVENTORY_RESERVATION_FAILED.name())
            + count(Topics.INVENTORY_DLQ.name()) + count(Topics.INVENTORY_COMMANDS_REJECTED.name());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
