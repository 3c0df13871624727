package io.inventory.topology;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * A topic with the serdes of its keys and values, declared once in {@link Topics} and used by everything that
 * reads or writes it: the topology, the command producer, the command-line client and the tests. For a
 * repartition topic, {@code name} is the name Kafka Streams derives the topic's from
 * ({@code <application.id>-<name>-repartition}).
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    public static List<String> names(final Collection<? extends Topic<?, ?>> topics) {
        return topics.stream().map(Topic::name).toList();
    }

    /** A record for this topic, to be sent by a producer with {@link #keySerde} and {@link #valueSerde}. */
    public ProducerRecord<K, V> record(final K key, final V value) {
        return new ProducerRecord<>(name, key, value);
    }

    /**
     * The record serialized with this topic's serdes, for a producer of bytes that writes topics of several types
     * (in one transaction, say).
     */
    public ProducerRecord<byte[], byte[]> serialized(final K key, final V value) {
        return new ProducerRecord<>(name, keySerde.serializer().serialize(name, key),
            valueSerde.serializer().serialize(name, value));
    }

    /** A key of this topic read with its serde, for a consumer of bytes. */
    public K key(final byte[] bytes) {
        return keySerde.deserializer().deserialize(name, bytes);
    }

    /** How a source named {@code sourceName} reads this topic. */
    public Consumed<K, V> consumed(final String sourceName) {
        return Consumed.with(keySerde, valueSerde).withName(sourceName);
    }

    /** How a sink named {@code sinkName} writes this topic. */
    public Produced<K, V> produced(final String sinkName) {
        return Produced.with(keySerde, valueSerde).withName(sinkName);
    }

    /** This topic as a repartition topic of {@code partitions} partitions. */
    public Repartitioned<K, V> repartitioned(final int partitions) {
        return Repartitioned.<K, V>as(name).withKeySerde(keySerde).withValueSerde(valueSerde)
            .withNumberOfPartitions(partitions);
    }
}
