package io.inventory.app;

import io.inventory.config.ServiceConfig;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the service reads and writes when they are missing, and verifies what it depends on:
 * the replies topic must have exactly as many partitions as the repartition topics, or replies would reach
 * the wrong order task.
 *
 * <p>Topics are created with {@code TOPIC_PARTITIONS} partitions, the broker's {@code default.replication.factor}
 * unless {@code TOPIC_REPLICATION_FACTOR} is set, and {@code min.insync.replicas} where
 * {@code TOPIC_MIN_INSYNC_REPLICAS} is set (otherwise the broker's). Creating topics with one replica on a cluster
 * that has more than one broker is logged as one WARN line: it is what a forgotten setting looks like.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final long METADATA_RETRY_MILLIS = 200;

    private TopicSetup() {
    }

    /** Every topic the service needs besides those Kafka Streams manages. */
    public static List<String> topics(final ServiceConfig config) {
        final List<String> topics = new ArrayList<>(Topic.names(Topics.INBOUND));
        topics.addAll(Topic.names(Topics.OUTBOUND));
        topics.add(config.topologySettings().repliesTopic().name());
        return topics;
    }

    public static void ensure(final Admin admin, final ServiceConfig config) {
        try {
            final Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            for (final String topic : topics(config)) {
                if (!existing.contains(topic)) {
                    missing.add(newTopic(topic, config));
                }
            }
            if (!missing.isEmpty()) {
                if (!config.createTopics()) {
                    throw new IllegalStateException("missing topics and CREATE_TOPICS=false: "
                        + missing.stream().map(NewTopic::name).toList());
                }
                final Map<String, Integer> created = create(admin, missing);
                if (!created.isEmpty()) {
                    final int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
                    singleReplicaWarning(created, brokers).ifPresent(LOG::warn);
                }
            }
            verifyReplies(admin, config);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set up topics on " + config.brokers() + ": " + e.getMessage(), e);
        }
    }

    /** A topic as the service creates it; empty optionals leave the choice to the broker. */
    static NewTopic newTopic(final String name, final ServiceConfig config) {
        final NewTopic topic = new NewTopic(name, Optional.of(config.topicPartitions()), config.replicationFactor());
        config.minInsyncReplicas().ifPresent(replicas ->
            topic.configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(replicas))));
        return topic;
    }

    /**
     * The warning for topics just created with a single replica on a cluster of more than one broker, where
     * losing one broker loses their records (the changelogs hold the stock); empty when there is nothing to say.
     */
    static Optional<String> singleReplicaWarning(final Map<String, Integer> created, final int brokers) {
        final List<String> single = created.entrySet().stream()
            .filter(topic -> topic.getValue() == 1)
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
        if (single.isEmpty() || brokers <= 1) {
            return Optional.empty();
        }
        return Optional.of("Created " + single.size() + " topics with replication factor 1 on a cluster of "
            + brokers + " brokers " + single + ": losing one broker loses their records, and Kafka Streams'"
            + " changelogs get the same factor; set TOPIC_REPLICATION_FACTOR (and TOPIC_MIN_INSYNC_REPLICAS)"
            + " or the brokers' default.replication.factor");
    }

    /** Creates the topics; returns those this call created, with the replication factor each got. */
    private static Map<String, Integer> create(final Admin admin, final List<NewTopic> missing)
        throws InterruptedException, TimeoutException, ExecutionException {
        final CreateTopicsResult result = admin.createTopics(missing);
        final Map<String, Integer> created = new TreeMap<>();
        for (final Map.Entry<String, KafkaFuture<Void>> topic : result.values().entrySet()) {
            try {
                topic.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                final int replicas = result.replicationFactor(topic.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.put(topic.getKey(), replicas);
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        if (!created.isEmpty()) {
            LOG.info("Created {} topics (name=replication factor): {}", created.size(), created);
        }
        return created;
    }

    /**
     * Describes a topic, waiting for it to be known: a topic created a moment ago may be missing from the metadata
     * the next request reaches (seen on a freshly started broker), which is not an error worth dying for.
     */
    private static TopicDescription describe(final Admin admin, final String topic)
        throws InterruptedException, ExecutionException, TimeoutException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debug("topic {} is not in the metadata yet; asking again", topic);
                Thread.sleep(METADATA_RETRY_MILLIS);
            }
        }
    }

    private static void verifyReplies(final Admin admin, final ServiceConfig config)
        throws InterruptedException, ExecutionException, TimeoutException {
        final String replies = config.topologySettings().repliesTopic().name();
        final int partitions = describe(admin, replies).partitions().size();
        if (partitions != config.topicPartitions()) {
            throw new IllegalStateException("topic " + replies + " has " + partitions
                + " partitions but TOPIC_PARTITIONS is " + config.topicPartitions()
                + ": they must match, or replies reach the wrong order task");
        }
    }
}
