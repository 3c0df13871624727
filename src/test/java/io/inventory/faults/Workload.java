package io.inventory.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.serde.Json;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A seeded generator of inbound traffic and a record of everything it sent, with the partition and offset each
 * record landed at. Orders of one to three lines over a few products with scarce stock; cancels, some before their
 * create; updates up and down; fulfilments, whole (no items) or of part of one line, some racing their order's
 * decision or a cancel; redeliveries of earlier records (same bytes, same {@code eventId}); now and then a
 * second create of a placed order under a new {@code eventId}; restocks and stock cuts; and poison records on every
 * inbound topic. The random choices depend only on the seed; what the service makes of them depends on timing.
 */
final class Workload implements AutoCloseable {

    /** Kinds of inbound records. */
    enum Kind { CREATE_ITEM, ADJUST, ORDER_CREATED, ORDER_UPDATED, ORDER_CANCELLED, ORDER_FULFILLED, POISON }

    /** One record sent; {@code partition} and {@code offset} are filled in when the broker acknowledges it. */
    static final class Sent {
        final long seq;
        final Kind kind;
        final String topic;
        final String key;
        final byte[] value;
        final String eventId;
        final String orderId;
        final String productId;
        final Map<String, Long> lines;
        final long quantity;
        final boolean redelivery;
        volatile int partition = -1;
        volatile long offset = -1;
        volatile Exception failure;

        Sent(final long seq, final Kind kind, final String topic, final String key, final byte[] value,
             final String eventId, final String orderId, final String productId, final Map<String, Long> lines,
             final long quantity, final boolean redelivery) {
            this.seq = seq;
            this.kind = kind;
            this.topic = topic;
            this.key = key;
            this.value = value;
            this.eventId = eventId;
            this.orderId = orderId;
            this.productId = productId;
            this.lines = lines;
            this.quantity = quantity;
            this.redelivery = redelivery;
        }

        Sent again(final long newSeq) {
            return new Sent(newSeq, kind, topic, key, value, eventId, orderId, productId, lines, quantity, true);
        }

        @Override
        public String toString() {
            final String text = kind == Kind.POISON ? printable(value) : new String(value, StandardCharsets.UTF_8);
            return "#" + seq + " " + topic + "[" + partition + "@" + offset + "]" + (redelivery ? " (redelivery)" : "")
                + " " + text;
        }
    }

    private final Random random;
    private final KafkaProducer<String, byte[]> producer;
    private final List<String> products;
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private final List<Sent> redeliverable = new ArrayList<>();
    /** Orders created so far and not cancelled (candidates for updates and cancels), with their current lines. */
    private final Map<String, Map<String, Long>> liveOrders = new LinkedHashMap<>();
    private final List<String> orderIds = new ArrayList<>();
    private int nextOrder;

    Workload(final String bootstrapServers, final long seed, final int productCount) {
        this.random = new Random(seed);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "faults-workload");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // The broker may be down for a while: keep records until it is back rather than fail them.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        final List<String> ids = new ArrayList<>();
        for (int p = 0; p < productCount; p++) {
            ids.add(String.format("fp-%02d", p));
        }
        this.products = List.copyOf(ids);
    }

    List<String> products() {
        return products;
    }

    /** Creates every product with a small stock (2 to 10 units); returns the initial stock by product. */
    Map<String, Long> createProducts() {
        final Map<String, Long> stock = new TreeMap<>();
        for (final String productId : products) {
            final long quantity = 2 + random.nextInt(9);
            stock.put(productId, quantity);
            final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", productId)
                .put("title", "Fault " + productId).put("brand", "Faults").put("quantity", quantity)
                .put("price", 4.5).put("currency", "EUR");
            final String eventId = UUID.randomUUID().toString();
            send(new Sent(seq.incrementAndGet(), Kind.CREATE_ITEM, Topics.INVENTORY_COMMANDS.name(), productId,
                envelope(eventId, "CreateInventoryItem", payload), eventId, null, productId, null, quantity, false));
        }
        producer.flush();
        return stock;
    }

    /** Sends one step of the workload (one to three records). Only ever called from one thread. */
    void step() {
        final int dice = random.nextInt(100);
        if (dice < 38 || liveOrders.size() < 5) {
            createOrder();
        } else if (dice < 48) {
            redeliver();
        } else if (dice < 58) {
            update();
        } else if (dice < 67) {
            cancel();
        } else if (dice < 78) {
            fulfil();
        } else if (dice < 88) {
            adjust();
        } else if (dice < 91) {
            secondCreate();
        } else if (dice < 95) {
            poison();
        } else {
            createOrder();
        }
    }

    void flush() {
        producer.flush();
    }

    /** Everything sent so far, in sending order. */
    List<Sent> sent() {
        final List<Sent> all = new ArrayList<>(sent);
        all.sort((a, b) -> Long.compare(a.seq, b.seq));
        return all;
    }

    int orderCount() {
        return orderIds.size();
    }

    private void createOrder() {
        final String orderId = String.format("fo-%05d", nextOrder++);
        orderIds.add(orderId);
        final Map<String, Long> lines = randomLines();
        if (random.nextInt(100) < 8) {
            // The cancel overtakes its create: the late create must be refused with ORDER_CANCELLED.
            sendOrderEvent(Kind.ORDER_CANCELLED, orderId, null);
            sendOrderEvent(Kind.ORDER_CREATED, orderId, lines);
            return;
        }
        sendOrderEvent(Kind.ORDER_CREATED, orderId, lines);
        liveOrders.put(orderId, lines);
    }

    private void update() {
        final String orderId = pickLiveOrder();
        if (orderId == null) {
            return;
        }
        final Map<String, Long> lines = new TreeMap<>(liveOrders.get(orderId));
        final String product = products.get(random.nextInt(products.size()));
        switch (random.nextInt(4)) {
            case 0 -> lines.merge(product, 1L + random.nextInt(2), Long::sum);
            case 1 -> {
                final String first = lines.keySet().iterator().next();
                final long quantity = lines.get(first) - 1;
                if (quantity > 0) {
                    lines.put(first, quantity);
                } else if (lines.size() > 1) {
                    lines.remove(first);
                } else {
                    lines.put(first, 2L);
                }
            }
            case 2 -> lines.replaceAll((p, q) -> q + 1);
            default -> {
                if (lines.size() > 1) {
                    lines.remove(lines.keySet().iterator().next());
                } else {
                    lines.put(product, 1L);
                }
            }
        }
        liveOrders.put(orderId, lines);
        sendOrderEvent(Kind.ORDER_UPDATED, orderId, lines);
    }

    private void cancel() {
        final String orderId = pickLiveOrder();
        if (orderId == null) {
            return;
        }
        liveOrders.remove(orderId);
        sendOrderEvent(Kind.ORDER_CANCELLED, orderId, null);
    }

    /**
     * Ships a live order: everything (no items, and the order is no longer live), or a few units of one of its
     * lines (it stays live: a later update is refused, a cancel releases the rest). The order's lines are what the
     * workload asked for; what it holds may differ (a refused update), so some fulfilments are refused.
     */
    private void fulfil() {
        final String orderId = pickLiveOrder();
        if (orderId == null) {
            return;
        }
        final Map<String, Long> lines = liveOrders.get(orderId);
        if (random.nextBoolean()) {
            liveOrders.remove(orderId);
            sendOrderEvent(Kind.ORDER_FULFILLED, orderId, Map.of());
            return;
        }
        final List<String> products = new ArrayList<>(lines.keySet());
        final String product = products.get(random.nextInt(products.size()));
        final long quantity = 1 + random.nextInt((int) Math.max(1, lines.get(product)));
        sendOrderEvent(Kind.ORDER_FULFILLED, orderId, Map.of(product, quantity));
    }

    private void secondCreate() {
        if (orderIds.isEmpty()) {
            return;
        }
        final String orderId = orderIds.get(random.nextInt(orderIds.size()));
        sendOrderEvent(Kind.ORDER_CREATED, orderId, randomLines());
    }

    private void redeliver() {
        if (redeliverable.isEmpty()) {
            return;
        }
        send(redeliverable.get(random.nextInt(redeliverable.size())).again(seq.incrementAndGet()));
    }

    private void adjust() {
        final String productId = products.get(random.nextInt(products.size()));
        // Mostly restocks; a stock cut may be refused when it would leave reservations uncovered.
        final long delta = random.nextInt(100) < 70 ? 1 + random.nextInt(4) : -(1 + random.nextInt(3));
        final String eventId = UUID.randomUUID().toString();
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", productId).put("delta", delta);
        final Sent record = new Sent(seq.incrementAndGet(), Kind.ADJUST, Topics.INVENTORY_COMMANDS.name(), productId,
            envelope(eventId, "AdjustInventoryStock", payload), eventId, null, productId, null, delta, false);
        redeliverable.add(record);
        send(record);
    }

    private void poison() {
        final String topic = Topics.INBOUND.get(random.nextInt(Topics.INBOUND.size())).name();
        final byte[] value;
        switch (random.nextInt(5)) {
            case 0 -> value = ("{not json " + random.nextInt()).getBytes(StandardCharsets.UTF_8);
            case 1 -> {
                value = new byte[1 + random.nextInt(40)];
                random.nextBytes(value);
            }
            case 2 -> {
                // An envelope without an eventId.
                final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventType", eventType(topic))
                    .put("timestamp", System.currentTimeMillis());
                envelope.putObject("payload").put("orderId", "fo-x").put("productId", "fp-00");
                value = envelope.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                // A well-formed envelope whose payload lacks its id field.
                final ObjectNode payload = Json.MAPPER.createObjectNode().put("userId", "u").put("delta", 1);
                payload.putArray("items").addObject().put("productId", "fp-00").put("quantity", 1);
                value = envelope(UUID.randomUUID().toString(), eventType(topic), payload);
            }
            default -> value = null;
        }
        send(new Sent(seq.incrementAndGet(), Kind.POISON, topic, "poison", value, null, null, null, null, 0, false));
    }

    private String pickLiveOrder() {
        if (liveOrders.isEmpty()) {
            return null;
        }
        // Prefer recent orders, so updates and cancels often race with their create's decision.
        final List<String> ids = new ArrayList<>(liveOrders.keySet());
        final int window = Math.min(ids.size(), 30);
        return ids.get(ids.size() - 1 - random.nextInt(window));
    }

    private Map<String, Long> randomLines() {
        final Map<String, Long> lines = new TreeMap<>();
        final int count = 1 + (random.nextInt(100) < 55 ? 0 : 1 + random.nextInt(2));
        for (int l = 0; l < count; l++) {
            lines.merge(products.get(random.nextInt(products.size())), 1L + random.nextInt(3), Long::sum);
        }
        return Collections.unmodifiableMap(lines);
    }

    private void sendOrderEvent(final Kind kind, final String orderId, final Map<String, Long> lines) {
        final String eventId = UUID.randomUUID().toString();
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", orderId).put("userId", "fault-user");
        if (lines != null && !lines.isEmpty()) {
            final ArrayNode items = payload.putArray("items");
            lines.forEach((p, q) -> items.addObject().put("productId", p).put("quantity", q));
        } else if (kind == Kind.ORDER_CANCELLED) {
            payload.put("reason", "changed my mind");
        }
        final String topic = switch (kind) {
            case ORDER_CREATED -> Topics.ORDER_CREATED.name();
            case ORDER_UPDATED -> Topics.ORDER_UPDATED.name();
            case ORDER_FULFILLED -> Topics.ORDER_FULFILLED.name();
            default -> Topics.ORDER_CANCELLED.name();
        };
        // The service must not rely on the key: some records have none.
        final String key = random.nextInt(10) == 0 ? null : orderId;
        final Sent record = new Sent(seq.incrementAndGet(), kind, topic, key, envelope(eventId, eventType(topic),
            payload), eventId, orderId, null, lines, 0, false);
        redeliverable.add(record);
        send(record);
    }

    private void send(final Sent record) {
        sent.add(record);
        producer.send(new ProducerRecord<>(record.topic, record.key, record.value), (metadata, exception) -> {
            if (exception != null) {
                record.failure = exception;
            } else {
                record.partition = metadata.partition();
                record.offset = metadata.offset();
            }
        });
    }

    private static String eventType(final String topic) {
        return EVENT_TYPES.getOrDefault(topic, "AdjustInventoryStock");
    }

    /** The event type of each order topic; an item command is an adjustment here. */
    private static final Map<String, String> EVENT_TYPES = Map.of(Topics.ORDER_CREATED.name(), "OrderCreatedEvent",
        Topics.ORDER_UPDATED.name(), "OrderUpdatedEvent", Topics.ORDER_CANCELLED.name(), "OrderCancelledEvent",
        Topics.ORDER_FULFILLED.name(), "OrderFulfilledEvent");

    static byte[] envelope(final String eventId, final String eventType, final ObjectNode payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventId", eventId).put("eventType", eventType)
            .put("timestamp", System.currentTimeMillis());
        envelope.set("payload", payload);
        envelope.putObject("metadata").put("userId", "fault-user").put("correlationId", "faults-" + eventId);
        return envelope.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String printable(final byte[] value) {
        if (value == null) {
            return "(null value)";
        }
        final StringBuilder out = new StringBuilder();
        for (final byte b : value) {
            out.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b & 0xff));
            if (out.length() > 300) {
                return out.append("...(").append(value.length).append(" bytes)").toString();
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        producer.close();
    }
}
