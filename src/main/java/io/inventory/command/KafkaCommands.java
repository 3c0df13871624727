package io.inventory.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Commands} over Kafka. A command goes to {@code inventory.commands} through an idempotent producer; its
 * outcome is the first event whose {@code causationId} is the command's id on {@code inventory.created},
 * {@code inventory.updated}, {@code inventory.deleted} or {@code inventory.commands.rejected}.
 *
 * <p>Every instance reads those four topics in full ({@code read_committed}, no consumer group, from their end at
 * start), so any instance can report the outcome of a command another instance sent. They carry item lifecycle
 * events only, a small fraction of the traffic. Outcomes are remembered for the last {@value #REMEMBERED}
 * commands seen; older ones and those from before the instance started are unknown to it.
 */
public final class KafkaCommands implements Commands, AutoCloseable {

    static final int REMEMBERED = 10_000;
    private static final Topic<String, byte[]> COMMANDS = Topics.INVENTORY_COMMANDS;
    /** The topics of an applied command's event, by name, with what the outcome reports was done. */
    private static final Map<String, String> APPLIED = Map.of(Topics.INVENTORY_CREATED.name(), "created",
        Topics.INVENTORY_UPDATED.name(), "updated", Topics.INVENTORY_DELETED.name(), "deleted");
    private static final Topic<String, byte[]> REJECTED = Topics.INVENTORY_COMMANDS_REJECTED;
    /** The outcome topics, all of one type: a consumer of one reads them all. */
    private static final List<Topic<String, byte[]>> OUTCOME_TOPICS = List.of(Topics.INVENTORY_CREATED,
        Topics.INVENTORY_UPDATED, Topics.INVENTORY_DELETED, REJECTED);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCommands.class);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, CompletableFuture<CommandOutcome>> waiting = new ConcurrentHashMap<>();
    private final Map<String, CommandOutcome> recent = Collections.synchronizedMap(
        new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, CommandOutcome> eldest) {
                return size() > REMEMBERED;
            }
        });
    private final Thread poller;
    private volatile boolean running = true;

    private KafkaCommands(final KafkaProducer<String, byte[]> producer, final KafkaConsumer<String, byte[]> consumer) {
        this.producer = producer;
        this.consumer = consumer;
        this.poller = new Thread(this::poll, "command-outcomes");
        this.poller.setDaemon(true);
    }

    /**
     * Connects the producer with {@code producerBase} and the outcome consumer with {@code consumerBase} (bootstrap
     * servers, timeouts, backoff, security; the producer's with its retry count) and starts following the outcome
     * topics, which must exist. {@code maxBlock} bounds how long a send may wait for the broker.
     */
    public static KafkaCommands start(final Properties producerBase, final Properties consumerBase,
                                      final String clientId, final Duration maxBlock) {
        final Properties producerProps = producerProperties(producerBase, clientId, maxBlock);
        final Properties consumerProps = consumerProperties(consumerBase, clientId);
        final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps,
            COMMANDS.keySerde().serializer(), COMMANDS.valueSerde().serializer());
        final KafkaConsumer<String, byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(consumerProps, REJECTED.keySerde().deserializer(),
                REJECTED.valueSerde().deserializer());
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final Topic<String, byte[]> topic : OUTCOME_TOPICS) {
                for (final PartitionInfo info : partitionsOf(consumer, topic.name())) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the end offsets now: an outcome of a command sent after start() returns is never skipped.
            partitions.forEach(consumer::position);
        } catch (final RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        final KafkaCommands commands = new KafkaCommands(producer, consumer);
        commands.poller.start();
        return commands;
    }

    /**
     * The partitions of an outcome topic, waiting for it to show up: a topic created a moment ago may be missing
     * from the first metadata, and following none of its partitions would lose outcomes without a word.
     */
    private static List<PartitionInfo> partitionsOf(final KafkaConsumer<String, byte[]> consumer, final String topic) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(topic);
            if (partitions != null && !partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions in the cluster's metadata");
            }
            try {
                Thread.sleep(200);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    /** The command producer's configuration: the connection (security included), idempotent, acks=all. */
    public static Properties producerProperties(final Properties clientProperties, final String clientId,
                                               final Duration maxBlock) {
        final Properties producerProps = new Properties();
        producerProps.putAll(clientProperties);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-commands");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return producerProps;
    }

    /** The outcome consumer's configuration: the connection (security included), read_committed, no group. */
    public static Properties consumerProperties(final Properties clientProperties, final String clientId) {
        final Properties consumerProps = new Properties();
        consumerProps.putAll(clientProperties);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-command-outcomes");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return consumerProps;
    }

    @Override
    public CommandOutcome send(final PreparedCommand command, final Duration wait) throws InterruptedException {
        final String id = command.commandId();
        final CommandOutcome known = recent.get(id);
        if (known instanceof CommandOutcome.Applied || known instanceof CommandOutcome.Rejected) {
            return known;
        }
        final long deadline = System.nanoTime() + wait.toNanos();
        final CompletableFuture<CommandOutcome> outcome = waiting.computeIfAbsent(id,
            key -> new CompletableFuture<>());
        try {
            if (known == null || known instanceof CommandOutcome.Unwritten) {
                // Registered before sending: the outcome cannot slip past between the send and the wait.
                final CommandOutcome.Pending pending = new CommandOutcome.Pending(id);
                recent.put(id, pending);
                producer.send(COMMANDS.record(command.productId(), command.envelope()), (metadata, error) -> {
                    if (error != null) {
                        // Only replaces the pending mark: an outcome cannot exist for a command never written.
                        recent.replace(id, pending, new CommandOutcome.Unwritten(id, error.getClass().getSimpleName()));
                    }
                }).get(remaining(deadline), TimeUnit.NANOSECONDS);
            }
            return outcome.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (final TimeoutException e) {
            // Written, or still being written: the client can look its outcome up later.
            return new CommandOutcome.Pending(id);
        } catch (final ExecutionException | KafkaException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("could not send command {}: {}", id, cause.toString());
            recent.computeIfPresent(id, (key, seen) -> seen instanceof CommandOutcome.Pending
                ? new CommandOutcome.Unwritten(id, cause.getClass().getSimpleName()) : seen);
            throw new CommandsUnavailableException("the command could not be written to Kafka: "
                + cause.getClass().getSimpleName(), cause);
        } finally {
            waiting.remove(id, outcome);
        }
    }

    @Override
    public Optional<CommandOutcome> outcome(final String commandId) {
        return Optional.ofNullable(recent.get(commandId));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(5));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private void poll() {
        try {
            while (running) {
                try {
                    for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        outcomeOf(record.topic(), record.value()).ifPresent(this::complete);
                    }
                } catch (final WakeupException e) {
                    // close() woke the poll up; the loop ends.
                } catch (final KafkaException e) {
                    LOG.warn("reading command outcomes failed, retrying: {}", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void complete(final CommandOutcome outcome) {
        recent.put(outcome.commandId(), outcome);
        final CompletableFuture<CommandOutcome> waiter = waiting.get(outcome.commandId());
        if (waiter != null) {
            waiter.complete(outcome);
        }
    }

    /** The outcome an outbound event stands for; empty for an event no command caused, or an unreadable one. */
    static Optional<CommandOutcome> outcomeOf(final String topic, final byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            final JsonNode envelope = Json.MAPPER.readTree(value);
            final JsonNode causation = envelope.path("metadata").path("causationId");
            if (!causation.isTextual()) {
                return Optional.empty();
            }
            final String commandId = causation.asText();
            final JsonNode payload = envelope.path("payload");
            final String eventType = envelope.path("eventType").asText();
            if (topic.equals(REJECTED.name())) {
                return Optional.of(new CommandOutcome.Rejected(commandId, payload.path("reason").asText(),
                    payload.path("commandType").asText()));
            }
            return Optional.ofNullable(APPLIED.get(topic))
                .map(verb -> new CommandOutcome.Applied(commandId, verb, eventType, payload));
        } catch (final IOException e) {
            LOG.debug("ignoring an unreadable event on {}: {}", topic, e.getMessage());
            return Optional.empty();
        }
    }

    private static long remaining(final long deadline) {
        return Math.max(0L, deadline - System.nanoTime());
    }
}
