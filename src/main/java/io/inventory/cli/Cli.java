package io.inventory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.config.ServiceConfig;
import io.inventory.serde.InboundEnvelope;
import io.inventory.serde.Json;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A small client for trying the service from a terminal: it sends contract envelopes to the inbound topics and
 * prints the outbound events. Brokers come from {@code KAFKA_BROKERS}, as for the service.
 *
 * <pre>
 * item    &lt;productId&gt; &lt;quantity&gt; [title]        CreateInventoryItem
 * adjust  &lt;productId&gt; &lt;delta&gt;                   AdjustInventoryStock
 * order   &lt;orderId&gt; &lt;productId:qty&gt;...           OrderCreatedEvent
 * update  &lt;orderId&gt; &lt;productId:qty&gt;...           OrderUpdatedEvent
 * cancel  &lt;orderId&gt;                              OrderCancelledEvent
 * fulfil  &lt;orderId&gt; [productId:qty...]          OrderFulfilledEvent (no lines: everything the order holds)
 * watch   [seconds]                              print outbound events (read_committed) from the start
 * dlq     list | show | replay ...               dead letters ({@link DeadLetterCli})
 * </pre>
 */
public final class Cli {

    public static final String USAGE = String.join("\n",
        "  item    <productId> <quantity> [title]   create an item",
        "  adjust  <productId> <delta>              change its stock",
        "  order   <orderId> <productId:qty>...     place an order",
        "  update  <orderId> <productId:qty>...     replace an order's lines",
        "  cancel  <orderId>                        cancel an order",
        "  fulfil  <orderId> [productId:qty...]     ship an order (no lines: everything it holds)",
        "  watch   [seconds]                        print outbound events (default 10 s)",
        DeadLetterCli.USAGE);

    private Cli() {
    }

    /** Runs one command; returns the process exit code. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        final ServiceConfig config;
        try {
            config = ServiceConfig.fromEnvironment();
        } catch (final RuntimeException e) {
            err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        if (args.length >= 1 && args[0].equals("dlq")) {
            return DeadLetterCli.run(Arrays.copyOfRange(args, 1, args.length), config, out, err);
        }
        try {
            if (args.length >= 1 && args[0].equals("watch")) {
                watch(config, Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10), out);
                return 0;
            }
            final Outgoing outgoing = command(args);
            send(config, outgoing);
            out.println("sent " + outgoing);
            return 0;
        } catch (final IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("usage: cli <command>\n" + USAGE);
            return 64;
        } catch (final ExecutionException e) {
            err.println("send failed: " + e.getCause().getMessage());
            return 1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** An envelope a command line sends, keyed by the id it is about, to an inbound topic. */
    public record Outgoing(Topic<String, byte[]> topic, String key, byte[] envelope) {

        /** The topic and the envelope, as the command line reports what it sent. */
        @Override
        public String toString() {
            return topic.name() + " " + new String(envelope, StandardCharsets.UTF_8);
        }
    }

    /** The record a command line stands for; throws {@link IllegalArgumentException} with the reason. */
    public static Outgoing command(final String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("missing command or arguments");
        }
        final String id = args[1];
        return switch (args[0]) {
            case "item" -> {
                requireArgs(args, 3);
                final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", id)
                    .put("title", args.length > 3 ? args[3] : id).put("brand", "Sample")
                    .put("quantity", parseLong(args[2])).put("price", 9.99).put("currency", "EUR");
                yield new Outgoing(Topics.INVENTORY_COMMANDS, id, envelope("CreateInventoryItem", payload));
            }
            case "adjust" -> {
                requireArgs(args, 3);
                final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", id)
                    .put("delta", parseLong(args[2]));
                yield new Outgoing(Topics.INVENTORY_COMMANDS, id, envelope("AdjustInventoryStock", payload));
            }
            case "order", "update" -> {
                requireArgs(args, 3);
                final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", id).put("userId", "cli-user");
                addLines(payload, args);
                final boolean create = args[0].equals("order");
                yield new Outgoing(create ? Topics.ORDER_CREATED : Topics.ORDER_UPDATED, id,
                    envelope(create ? "OrderCreatedEvent" : "OrderUpdatedEvent", payload));
            }
            case "fulfil" -> {
                final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", id).put("userId", "cli-user");
                if (args.length > 2) {
                    addLines(payload, args);
                }
                yield new Outgoing(Topics.ORDER_FULFILLED, id, envelope("OrderFulfilledEvent", payload));
            }
            case "cancel" -> new Outgoing(Topics.ORDER_CANCELLED, id, envelope("OrderCancelledEvent",
                Json.MAPPER.createObjectNode().put("orderId", id).put("userId", "cli-user")));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        };
    }

    /** The {@code productId:qty} arguments from the third on, as the payload's {@code items}. */
    private static void addLines(final ObjectNode payload, final String[] args) {
        final ArrayNode items = payload.putArray("items");
        for (int i = 2; i < args.length; i++) {
            final String[] line = args[i].split(":", 2);
            if (line.length != 2) {
                throw new IllegalArgumentException("a line is productId:quantity, got " + args[i]);
            }
            items.addObject().put("productId", line[0]).put("quantity", parseLong(line[1]));
        }
    }

    public static void send(final ServiceConfig config, final Outgoing outgoing)
        throws ExecutionException, InterruptedException {
        final Topic<String, byte[]> topic = outgoing.topic();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(config),
            topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(topic.record(outgoing.key(), outgoing.envelope())).get();
        }
    }

    /** The command-line client's producer: the service's connection, backoff and retry count. */
    public static Properties producerProperties(final ServiceConfig config) {
        final Properties props = config.producerProperties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId() + "-cli");
        return props;
    }

    /** Prints outbound events, from the beginning of each topic, for {@code duration}. */
    public static void watch(final ServiceConfig config, final Duration duration, final PrintStream out) {
        final Properties props = config.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "inventory-cli-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final long deadline = System.nanoTime() + duration.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(Topic.names(Topics.OUTBOUND));
            while (System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    out.println(describe(record.topic(), record.value()));
                }
            }
        }
    }

    /** One line per event: topic, type and payload. */
    public static String describe(final String topic, final byte[] value) {
        try {
            final JsonNode envelope = Json.MAPPER.readTree(value);
            final JsonNode payload = envelope.get("payload");
            return String.format("%-30s %s", topic, payload == null ? envelope : payload);
        } catch (final IOException | RuntimeException e) {
            return String.format("%-30s (%d bytes, not JSON)", topic, value == null ? 0 : value.length);
        }
    }

    private static byte[] envelope(final String eventType, final ObjectNode payload) {
        return InboundEnvelope.of(UUID.randomUUID().toString(), eventType, System.currentTimeMillis(), payload, null,
            "cli-user").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void requireArgs(final String[] args, final int count) {
        if (args.length < count) {
            throw new IllegalArgumentException(args[0] + " needs more arguments");
        }
    }

    private static long parseLong(final String text) {
        try {
            return Long.parseLong(text);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: " + text);
        }
    }

}
