package io.inventory.app;

import io.inventory.config.ServiceConfig;
import io.inventory.topology.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the service reads and writes when they are missing, and verifies what it depends on:
 * the replies topic must have exactly as many partitions as the repartition topics, or replies would reach
 * the wrong order task.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final long METADATA_RETRY_MILLIS = 200;

    private TopicSetup() {
    }

    /** Every topic the service needs besides those Kafka Streams manages. */
    public static List<String> topics(final ServiceConfig config) {
        final List<String> topics = new ArrayList<>(Topics.INBOUND);
        topics.addAll(Topics.OUTBOUND);
        topics.add(config.topologySettings().repliesTopic());
        return topics;
    }

    public static void ensure(final Admin admin, final ServiceConfig config) {
        try {
            final Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            for (final String topic : topics(config)) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, config.topicPartitions(), config.replicationFactor()));
                }
            }
            if (!missing.isEmpty()) {
                if (!config.createTopics()) {
                    throw new IllegalStateException("missing topics and CREATE_TOPICS=false: "
                        + missing.stream().map(NewTopic::name).toList());
                }
                create(admin, missing);
            }
            verifyReplies(admin, config);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set up topics on " + config.brokers() + ": " + e.getMessage(), e);
        }
    }

    private static void create(final Admin admin, final List<NewTopic> missing)
        throws InterruptedException, TimeoutException, ExecutionException {
        for (final Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> result
            : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.info("Created topic {}", result.getKey());
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
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
        final String replies = config.topologySettings().repliesTopic();
        final int partitions = describe(admin, replies).partitions().size();
        if (partitions != config.topicPartitions()) {
            throw new IllegalStateException("topic " + replies + " has " + partitions
                + " partitions but TOPIC_PARTITIONS is " + config.topicPartitions()
                + ": they must match, or replies reach the wrong order task");
        }
    }
}
