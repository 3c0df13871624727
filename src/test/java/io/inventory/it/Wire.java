package io.inventory.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real producer for the inbound topics and a {@code read_committed} consumer of every outbound topic: the
 * service seen from the outside, as its clients see it.
 */
final class Wire implements AutoCloseable {

    /** One consumed outbound record. */
    record Event(String topic, String key, JsonNode envelope, ConsumerRecord<String, byte[]> raw) {
        JsonNode payload() {
            return envelope.get("payload");
        }

        String text(final String field) {
            return payload().get(field).asText();
        }

        long number(final String field) {
            return payload().get(field).asLong();
        }
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Event> seen = new ArrayList<>();

    Wire(final String bootstrapServers) {
        final Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
        final Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Topic.names(Topics.OUTBOUND));
    }

    void send(final Topic<String, byte[]> topic, final String key, final byte[] value) {
        try {
            producer.send(topic.record(key, value)).get();
        } catch (final Exception e) {
            throw new IllegalStateException("send to " + topic.name() + " failed", e);
        }
    }

    /** Polls until {@code done} holds for everything consumed so far, or fails after {@code timeout}. */
    List<Event> awaitUntil(final Predicate<List<Event>> done, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + "; consumed so far:\n" + describe());
            }
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen);
    }

    /** Keeps polling for {@code quiet} and returns everything consumed: for asserting that nothing more comes. */
    List<Event> settle(final Duration quiet) {
        final long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen);
    }

    private void poll(final Duration timeout) {
        for (final ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            seen.add(new Event(record.topic(), record.key(), json(record.topic(), record.value()), record));
        }
    }

    private static JsonNode json(final String topic, final byte[] value) {
        if (topic.equals(Topics.INVENTORY_DLQ.name())) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return Json.MAPPER.readTree(value);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Predicate<List<Event>> count(final Topic<?, ?> topic, final Predicate<Event> match, final int n) {
        return events -> events.stream().filter(e -> e.topic().equals(topic.name()) && match.test(e)).count() >= n;
    }

    static List<Event> on(final List<Event> events, final Topic<?, ?> topic, final Predicate<Event> match) {
        return events.stream().filter(e -> e.topic().equals(topic.name()) && match.test(e)).toList();
    }

    private String describe() {
        final StringBuilder out = new StringBuilder();
        seen.forEach(e -> out.append(e.topic()).append(' ').append(e.payload()).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
