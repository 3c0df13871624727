package io.inventory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.config.ServiceConfig;
import io.inventory.serde.EnvelopeSerde;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead letters back to their source topics, and remembers which ones were.
 *
 * <p>A replayed record is the original key, value and headers, plus {@value #REPLAYED_FROM} naming the dead
 * letter ({@code inventory.dlq:P:O}). The name is outside {@code dlq.*} on purpose: the dead-lettering keeps a
 * record's own headers and replaces only its {@code dlq.*} ones (and Kafka Streams' handler keeps them too), so
 * a replay that fails again carries it into its new dead letter, where {@code dlq list} shows it.
 *
 * <p>"Already replayed" is decided by a marker per replayed dead letter in {@link Topics#INVENTORY_DLQ_REPLAYS}
 * (compacted, key {@code inventory.dlq:P:O}), written in the same transaction as the replayed records: a replay
 * and its markers commit together or not at all. The alternatives were worse: scanning the source topics for
 * the header costs a read of every inbound topic and forgets replays once retention deletes them; scanning the
 * dead letter topic only finds the replays that failed again. Every replay uses one transactional id, so a
 * second replay started meanwhile fences the first, and the markers are read only after
 * {@code initTransactions()}, which waits for any earlier replay's transaction to finish: two operators cannot
 * both replay the same dead letter.
 */
final class Replays {

    /** The header a replayed record carries: the dead letter it came from, {@code inventory.dlq:P:O}. */
    static final String REPLAYED_FROM = "replayed.from";
    static final String TRANSACTIONAL_ID = "inventory-dlq-replay";

    private static final long TIMEOUT_SECONDS = 30;
    private static final Topic<String, byte[]> MARKERS = Topics.INVENTORY_DLQ_REPLAYS;

    private Replays() {
    }

    /** A dead letter written back: where it went. */
    record Written(DeadLetter letter, String topic, int partition, long offset) {
    }

    /** The markers of every dead letter replayed so far, by {@link DeadLetter#id()}. */
    static Map<String, JsonNode> markers(final Consumer<byte[], byte[]> consumer, final Duration timeout)
        throws TimeoutException {
        final Map<String, JsonNode> markers = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : TopicScan.since(consumer, MARKERS.name(), null,
            timeout)) {
            if (record.key() == null) {
                continue;
            }
            final String id = MARKERS.key(record.key());
            if (record.value() == null) {
                markers.remove(id);
                continue;
            }
            try {
                markers.put(id, Json.MAPPER.readTree(record.value()));
            } catch (final IOException e) {
                // A marker we cannot read still says the dead letter was replayed.
                markers.put(id, Json.MAPPER.createObjectNode().put("unreadable", true));
            }
        }
        return markers;
    }

    /** Creates the marker topic (compacted, one partition) unless it exists. */
    static void ensureMarkerTopic(final Admin admin, final ServiceConfig config)
        throws InterruptedException, ExecutionException, TimeoutException {
        final Set<String> names = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (names.contains(MARKERS.name())) {
            return;
        }
        // Like the service's own topics: the broker's default replication factor unless the operator set one.
        final Map<String, String> configs = new java.util.HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        config.minInsyncReplicas().ifPresent(replicas ->
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replicas)));
        final NewTopic topic = new NewTopic(MARKERS.name(), Optional.of(1), config.replicationFactor())
            .configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    static Producer<byte[], byte[]> producer(final ServiceConfig config) {
        final Properties props = config.clientProperties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId() + "-dlq-replay");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The record that puts a dead letter back on its source topic. */
    static ProducerRecord<byte[], byte[]> replayRecord(final DeadLetter letter) {
        final RecordHeaders headers = new RecordHeaders(letter.originalHeaders());
        headers.add(REPLAYED_FROM, letter.id().getBytes(StandardCharsets.UTF_8));
        // No timestamp: the replay is a new delivery, stamped now (the service's outbound events take it).
        return new ProducerRecord<>(letter.sourceTopic(), null, null, letter.key(), letter.value(), headers);
    }

    /**
     * Writes every letter back and its marker, in one transaction; {@code initTransactions()} must have been
     * called. Returns where each went, once committed.
     */
    static List<Written> replay(final Producer<byte[], byte[]> producer, final List<DeadLetter> letters,
                                final long now) throws InterruptedException, ExecutionException {
        producer.beginTransaction();
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (final DeadLetter letter : letters) {
                sent.add(producer.send(replayRecord(letter)));
                producer.send(MARKERS.serialized(letter.id(), marker(letter, now)));
            }
            producer.commitTransaction();
        } catch (final RuntimeException e) {
            abortQuietly(producer, e);
            throw e;
        }
        final List<Written> written = new ArrayList<>();
        for (int i = 0; i < letters.size(); i++) {
            final RecordMetadata metadata = sent.get(i).get();
            written.add(new Written(letters.get(i), metadata.topic(), metadata.partition(), metadata.offset()));
        }
        return written;
    }

    static byte[] marker(final DeadLetter letter, final long now) {
        final ObjectNode marker = Json.MAPPER.createObjectNode().put("deadLetter", letter.id())
            .put("topic", letter.sourceTopic()).put("reason", letter.reason())
            .put("replayedAt", EnvelopeSerde.formatTimestamp(now));
        return marker.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void abortQuietly(final Producer<byte[], byte[]> producer, final RuntimeException cause) {
        try {
            producer.abortTransaction();
        } catch (final RuntimeException e) {
            // Fenced or failed producers cannot abort; the broker aborts the transaction on its timeout.
            cause.addSuppressed(e);
        }
    }
}
