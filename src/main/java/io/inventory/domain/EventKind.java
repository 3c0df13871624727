package io.inventory.domain;

/**
 * The catalogue of outbound events: for each kind, its envelope {@code eventType} and the name of its counter
 * (its topic: {@code Topics.topicFor}, an exhaustive switch over this enum). Every {@link InventoryEvent} names its
 * kind, so a new event cannot compile without a wire name, a metric and a topic.
 *
 * <p>The metric names are part of the service's interface (dashboards and alerts use them): each ends in
 * {@code -events-total}, because Prometheus drops a {@code _created} before {@code _total} as a reserved suffix.
 */
public enum EventKind {
    ITEM_CREATED("InventoryItemCreatedEvent", "item-created-events-total"),
    /** The item's full state after an update or an adjustment. */
    ITEM_UPDATED("InventoryItemUpdatedEvent", "item-updated-events-total"),
    ITEM_DELETED("InventoryItemDeletedEvent", "item-deleted-events-total"),
    /** One per product line reserved, not one per order. */
    RESERVED("InventoryItemReservedEvent", "reserved-events-total"),
    /** Whatever the reason (cancel, update, expiry). */
    RELEASED("InventoryItemReleasedEvent", "released-events-total"),
    INSUFFICIENT("InsufficientInventoryEvent", "insufficient-events-total"),
    /** Whatever the reason: an insufficient line is counted here too, besides {@link #INSUFFICIENT}. */
    RESERVATION_FAILED("InventoryReservationFailedEvent",
        "reservation-failed-events-total"),
    /** One per product shipped. */
    FULFILLED("InventoryItemFulfilledEvent", "fulfilled-events-total"),
    /** Whatever the reason. */
    FULFILMENT_FAILED("InventoryFulfilmentFailedEvent",
        "fulfilment-failed-events-total"),
    /** Whatever the reason. */
    COMMAND_REJECTED("InventoryCommandRejectedEvent", "command-rejected-events-total");

    private final String eventType;
    private final String metricName;

    EventKind(final String eventType, final String metricName) {
        this.eventType = eventType;
        this.metricName = metricName;
    }

    /** The envelope's {@code eventType}, as the contract names it. */
    public String eventType() {
        return eventType;
    }

    /** The Kafka metric name; in the scrape, {@code kafka_inventory_} followed by it, dashes as underscores. */
    public String metricName() {
        return metricName;
    }
}
