package io.inventory.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic from given offsets to its end as it is now, with an assigned (group-less) {@code read_committed}
 * consumer: the end is the last stable offset, so an open transaction's records are neither shown nor waited for.
 */
final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicScan() {
    }

    /** The topic's partitions, or none when the topic does not exist. */
    static List<TopicPartition> partitions(final Consumer<byte[], byte[]> consumer, final String topic) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic);
        final List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    /** Every record of {@code topic} whose timestamp is {@code since} or later (all of them when null). */
    static List<ConsumerRecord<byte[], byte[]>> since(final Consumer<byte[], byte[]> consumer, final String topic,
                                                       final Instant since, final Duration timeout)
        throws TimeoutException {
        final List<TopicPartition> partitions = partitions(consumer, topic);
        final Map<TopicPartition, Long> from = new HashMap<>(consumer.beginningOffsets(partitions));
        if (since != null) {
            final Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(partition -> times.put(partition, since.toEpochMilli()));
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.offsetsForTimes(times).forEach((partition, found) ->
                from.put(partition, found == null ? end.get(partition) : found.offset()));
        }
        return read(consumer, from, timeout);
    }

    /** The record at {@code offset} of one partition, if there is one (not compacted, aborted or a marker). */
    static Optional<ConsumerRecord<byte[], byte[]>> at(final Consumer<byte[], byte[]> consumer,
                                                       final TopicPartition partition, final long offset,
                                                       final Duration timeout) throws TimeoutException {
        final long end = consumer.endOffsets(List.of(partition)).get(partition);
        final long beginning = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (offset < beginning || offset >= end) {
            return Optional.empty();
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) <= offset) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() == offset) {
                    return Optional.of(record);
                }
                if (record.offset() > offset) {
                    return Optional.empty();
                }
            }
            checkDeadline(deadline, timeout);
        }
        return Optional.empty();
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(final Consumer<byte[], byte[]> consumer,
                                                              final Map<TopicPartition, Long> from,
                                                              final Duration timeout) throws TimeoutException {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
        final List<TopicPartition> open = new ArrayList<>();
        from.forEach((partition, offset) -> {
            if (offset < end.get(partition)) {
                open.add(partition);
            }
        });
        consumer.assign(List.copyOf(open));
        open.forEach(partition -> consumer.seek(partition, from.get(partition)));
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty()) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(partition)) {
                    records.add(record);
                }
            }
            // The position passes the end without a record at end - 1 when that was a transaction marker.
            open.removeIf(partition -> consumer.position(partition) >= end.get(partition));
            checkDeadline(deadline, timeout);
        }
        return records;
    }

    private static void checkDeadline(final long deadline, final Duration timeout) throws TimeoutException {
        if (System.nanoTime() > deadline) {
            throw new TimeoutException("could not read to the end of the topic within " + timeout);
        }
    }
}
