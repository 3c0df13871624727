package io.inventory.topology;

import io.inventory.domain.EventKind;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic, internal topic and store name of the service, in one place; each topic with the types of its keys
 * and values ({@link Topic}). Renaming any of them breaks a running deployment's state or its clients: the names
 * are checked against {@code topology-docs/}.
 */
public final class Topics {

    private static final Serde<String> IDS = Serdes.String();
    private static final Serde<byte[]> BYTES = Serdes.ByteArray();

    // Inbound (JSON envelopes; the key is an id by convention, ignored: the service reads these topics as bytes,
    // whatever the key, so that a dead letter keeps the original key and value).
    public static final Topic<String, byte[]> ORDER_CREATED = envelopes("order.created");
    public static final Topic<String, byte[]> ORDER_UPDATED = envelopes("order.updated");
    public static final Topic<String, byte[]> ORDER_CANCELLED = envelopes("order.cancelled");
    public static final Topic<String, byte[]> ORDER_FULFILLED = envelopes("order.fulfilled");
    /** Item commands (key productId, but the service routes by the payload). */
    public static final Topic<String, byte[]> INVENTORY_COMMANDS = envelopes("inventory.commands");

    // Outbound (JSON envelopes; key productId); which event kind goes where: topicFor.
    public static final Topic<String, byte[]> INVENTORY_CREATED = envelopes("inventory.created");
    public static final Topic<String, byte[]> INVENTORY_UPDATED = envelopes("inventory.updated");
    public static final Topic<String, byte[]> INVENTORY_DELETED = envelopes("inventory.deleted");
    public static final Topic<String, byte[]> INVENTORY_RESERVED = envelopes("inventory.reserved");
    public static final Topic<String, byte[]> INVENTORY_RELEASED = envelopes("inventory.released");
    public static final Topic<String, byte[]> INVENTORY_INSUFFICIENT = envelopes("inventory.insufficient");
    public static final Topic<String, byte[]> INVENTORY_RESERVATION_FAILED = envelopes("inventory.reservation.failed");
    public static final Topic<String, byte[]> INVENTORY_FULFILLED = envelopes("inventory.fulfilled");
    /** Keyed by productId, except a refusal that names no product: keyed by orderId. */
    public static final Topic<String, byte[]> INVENTORY_FULFILMENT_FAILED = envelopes("inventory.fulfilment.failed");
    /** Commands that were not applied, with the reason (the contract requires a recorded outcome). */
    public static final Topic<String, byte[]> INVENTORY_COMMANDS_REJECTED = envelopes("inventory.commands.rejected");
    /** Inbound records that could not be processed: original key, value and headers, plus {@code dlq.*} headers. */
    public static final Topic<byte[], byte[]> INVENTORY_DLQ = new Topic<>("inventory.dlq", BYTES, BYTES);
    /**
     * Which dead letters {@code cli dlq replay} wrote back (compacted; key {@code inventory.dlq:P:O}, value a JSON
     * marker). Written by the CLI only, which creates it; the service neither reads nor writes it.
     */
    public static final Topic<String, byte[]> INVENTORY_DLQ_REPLAYS = new Topic<>("inventory.dlq.replays", IDS, BYTES);

    // Internal: repartition topics are {@code <application.id>-<name>-repartition}.
    public static final Topic<String, OrderInput> ORDERS_BY_ID = new Topic<>("orders-by-id", IDS,
        InputSerdes.ORDER_INPUT);
    public static final Topic<String, StockInput> HOLDS_BY_PRODUCT = new Topic<>("holds-by-product", IDS,
        InputSerdes.STOCK_INPUT);
    public static final Topic<String, StockInput> COMMANDS_BY_PRODUCT = new Topic<>("commands-by-product", IDS,
        InputSerdes.STOCK_INPUT);
    /** The way back from the stock task to the order task; created by the service itself, see {@link #replies}. */
    public static final String REPLIES_BY_ORDER_SUFFIX = "-replies-by-order";

    // State stores; their changelogs are {@code <application.id>-<store>-changelog}.
    public static final String INVENTORY_STORE = "inventory";
    public static final String ORDERS_STORE = "orders";
    /** Ids of the item commands the stock task applied, with when; forgotten after the retention. */
    public static final String COMMAND_IDS_STORE = "command-ids";
    /** The stock task's store of each order's share of each product (an {@code OrderShare} per pair). */
    public static final String ALLOCATIONS_STORE = "allocations";
    /**
     * The order task's index of what is due on the wall clock (an expiry, a decision timeout), by
     * {@code <due epoch millis, zero-padded>|<orderId>}: the clock reads it from the start up to now.
     */
    public static final String ORDER_DUE_STORE = "order-due";

    public static final List<Topic<String, byte[]>> ORDER_EVENTS = List.of(ORDER_CREATED, ORDER_UPDATED,
        ORDER_CANCELLED, ORDER_FULFILLED);

    public static final List<Topic<String, byte[]>> INBOUND = List.of(ORDER_CREATED, ORDER_UPDATED,
        ORDER_CANCELLED, ORDER_FULFILLED, INVENTORY_COMMANDS);

    /** The topics the service publishes to: the events' and the dead letters'. */
    public static final List<Topic<?, byte[]>> OUTBOUND = List.of(INVENTORY_CREATED, INVENTORY_UPDATED,
        INVENTORY_DELETED, INVENTORY_RESERVED, INVENTORY_RELEASED, INVENTORY_INSUFFICIENT, INVENTORY_RESERVATION_FAILED,
        INVENTORY_FULFILLED, INVENTORY_FULFILMENT_FAILED, INVENTORY_COMMANDS_REJECTED, INVENTORY_DLQ);

    private Topics() {
    }

    /** The topic each kind of outbound event goes to; exhaustive, so a new kind cannot compile without one. */
    public static Topic<String, byte[]> topicFor(final EventKind kind) {
        return switch (kind) {
            case ITEM_CREATED -> INVENTORY_CREATED;
            case ITEM_UPDATED -> INVENTORY_UPDATED;
            case ITEM_DELETED -> INVENTORY_DELETED;
            case RESERVED -> INVENTORY_RESERVED;
            case RELEASED -> INVENTORY_RELEASED;
            case INSUFFICIENT -> INVENTORY_INSUFFICIENT;
            case RESERVATION_FAILED -> INVENTORY_RESERVATION_FAILED;
            case FULFILLED -> INVENTORY_FULFILLED;
            case FULFILMENT_FAILED -> INVENTORY_FULFILMENT_FAILED;
            case COMMAND_REJECTED -> INVENTORY_COMMANDS_REJECTED;
        };
    }

    /** The replies topic of an application id; it must have as many partitions as the repartition topics. */
    public static Topic<String, OrderInput> replies(final String applicationId) {
        return new Topic<>(applicationId + REPLIES_BY_ORDER_SUFFIX, IDS, InputSerdes.ORDER_INPUT);
    }

    private static Topic<String, byte[]> envelopes(final String name) {
        return new Topic<>(name, IDS, BYTES);
    }
}
