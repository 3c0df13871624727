package io.inventory.metrics;

import io.inventory.domain.InventoryEvent;
import java.util.Locale;

/**
 * One counter per type of outbound event, in the Kafka metrics group {@value TaskSensors#GROUP}. The metric names
 * are part of the service's interface (dashboards and alerts use them): they are spelled here, not derived from
 * class names, so renaming a record does not rename a metric. Each ends in {@code -events-total}: Prometheus
 * drops a {@code _created} before {@code _total} as a reserved suffix, which would turn
 * {@code item-created-total} into {@code kafka_inventory_item_total}.
 */
public enum EventCounter {
    ITEM_CREATED(InventoryEvent.ItemCreated.class, "item-created-events-total"),
    ITEM_UPDATED(InventoryEvent.ItemUpdated.class, "item-updated-events-total"),
    ITEM_DELETED(InventoryEvent.ItemDeleted.class, "item-deleted-events-total"),
    /** One per product line reserved, not one per order. */
    RESERVED(InventoryEvent.Reserved.class, "reserved-events-total"),
    RELEASED(InventoryEvent.Released.class, "released-events-total"),
    INSUFFICIENT(InventoryEvent.Insufficient.class, "insufficient-events-total"),
    /** Whatever the reason: an insufficient line is counted here too, besides {@link #INSUFFICIENT}. */
    RESERVATION_FAILED(InventoryEvent.ReservationFailed.class, "reservation-failed-events-total"),
    /** Whatever the reason. */
    COMMAND_REJECTED(InventoryEvent.CommandRejected.class, "command-rejected-events-total");

    private final Class<? extends InventoryEvent> type;
    private final String metricName;

    EventCounter(final Class<? extends InventoryEvent> type, final String metricName) {
        this.type = type;
        this.metricName = metricName;
    }

    public static EventCounter of(final InventoryEvent event) {
        for (final EventCounter counter : values()) {
            if (counter.type.isInstance(event)) {
                return counter;
            }
        }
        throw new IllegalArgumentException("no counter for " + event.getClass());
    }

    public Class<? extends InventoryEvent> type() {
        return type;
    }

    /** The Kafka metric name; in the scrape, {@code kafka_inventory_} followed by it, dashes as underscores. */
    public String metricName() {
        return metricName;
    }

    public String description() {
        return "The number of " + name().toLowerCase(Locale.ROOT).replace('_', ' ') + " events this task published";
    }
}
