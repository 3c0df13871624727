package io.inventory.topology;

import io.inventory.domain.EventKind;
import java.util.List;

/**
 * Every topic, internal topic and store name of the service, in one place. Renaming any of them breaks a
 * running deployment's state or its clients: the names are checked against {@code topology-docs/}.
 */
public final class Topics {

    // Inbound (JSON envelopes; any key).
    public static final String ORDER_CREATED = "order.created";
    public static final String ORDER_UPDATED = "order.updated";
    public static final String ORDER_CANCELLED = "order.cancelled";
    public static final String ORDER_FULFILLED = "order.fulfilled";
    /** Item commands (JSON envelopes; key productId, but the service routes by the payload). */
    public static final String INVENTORY_COMMANDS = "inventory.commands";

    // Outbound (JSON envelopes; key productId); which event kind goes where: topicFor.
    public static final String INVENTORY_CREATED = "inventory.created";
    public static final String INVENTORY_UPDATED = "inventory.updated";
    public static final String INVENTORY_DELETED = "inventory.deleted";
    public static final String INVENTORY_RESERVED = "inventory.reserved";
    public static final String INVENTORY_RELEASED = "inventory.released";
    public static final String INVENTORY_INSUFFICIENT = "inventory.insufficient";
    public static final String INVENTORY_RESERVATION_FAILED = "inventory.reservation.failed";
    public static final String INVENTORY_FULFILLED = "inventory.fulfilled";
    /** Keyed by productId, except a refusal that names no product: keyed by orderId. */
    public static final String INVENTORY_FULFILMENT_FAILED = "inventory.fulfilment.failed";
    /** Commands that were not applied, with the reason (the contract requires a recorded outcome). */
    public static final String INVENTORY_COMMANDS_REJECTED = "inventory.commands.rejected";
    /** Inbound records that could not be processed: original key, value and headers, plus {@code dlq.*} headers. */
    public static final String INVENTORY_DLQ = "inventory.dlq";
    /**
     * Which dead letters {@code cli dlq replay} wrote back (compacted; key {@code inventory.dlq:P:O}, value a JSON
     * marker). Written by the CLI only, which creates it; the service neither reads nor writes it.
     */
    public static final String INVENTORY_DLQ_REPLAYS = "inventory.dlq.replays";

    // Internal: repartition topics are {@code <application.id>-<name>-repartition}.
    public static final String ORDERS_BY_ID = "orders-by-id";
    public static final String HOLDS_BY_PRODUCT = "holds-by-product";
    public static final String COMMANDS_BY_PRODUCT = "commands-by-product";
    /** The way back from the stock task to the order task; created by the service itself, see {@link #replies}. */
    public static final String REPLIES_BY_ORDER_SUFFIX = "-replies-by-order";

    // State stores; their changelogs are {@code <application.id>-<store>-changelog}.
    public static final String INVENTORY_STORE = "inventory";
    public static final String ORDERS_STORE = "orders";
    /** Ids of the item commands the stock task applied, with when; forgotten after the retention. */
    public static final String COMMAND_IDS_STORE = "command-ids";
    /** The stock task's store of each order's share of each product (an {@code OrderStock} per pair). */
    public static final String ALLOCATIONS_STORE = "allocations";
    /**
     * The order task's index of what is due on the wall clock (an expiry, a decision timeout), by
     * {@code <due epoch millis, zero-padded>|<orderId>}: the clock reads it from the start up to now.
     */
    public static final String ORDER_DUE_STORE = "order-due";

    public static final List<String> ORDER_EVENTS = List.of(ORDER_CREATED, ORDER_UPDATED, ORDER_CANCELLED,
        ORDER_FULFILLED);

    public static final List<String> INBOUND = List.of(ORDER_CREATED, ORDER_UPDATED, ORDER_CANCELLED,
        ORDER_FULFILLED, INVENTORY_COMMANDS);

    public static final List<String> OUTBOUND = List.of(INVENTORY_CREATED, INVENTORY_UPDATED, INVENTORY_DELETED,
        INVENTORY_RESERVED, INVENTORY_RELEASED, INVENTORY_INSUFFICIENT, INVENTORY_RESERVATION_FAILED,
        INVENTORY_FULFILLED, INVENTORY_FULFILMENT_FAILED, INVENTORY_COMMANDS_REJECTED, INVENTORY_DLQ);

    private Topics() {
    }

    /** The topic each kind of outbound event goes to; exhaustive, so a new kind cannot compile without one. */
    public static String topicFor(final EventKind kind) {
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
    public static String replies(final String applicationId) {
        return applicationId + REPLIES_BY_ORDER_SUFFIX;
    }
}
