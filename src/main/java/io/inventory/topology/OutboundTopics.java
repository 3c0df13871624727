package io.inventory.topology;

import io.inventory.domain.InventoryEvent;
import io.inventory.serde.OutboundEvent;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends each outbound event to the topic the contract names for its type. */
final class OutboundTopics implements TopicNameExtractor<String, OutboundEvent> {

    static String topicFor(final InventoryEvent event) {
        if (event instanceof InventoryEvent.ItemCreated) {
            return Topics.INVENTORY_CREATED;
        }
        if (event instanceof InventoryEvent.ItemUpdated) {
            return Topics.INVENTORY_UPDATED;
        }
        if (event instanceof InventoryEvent.ItemDeleted) {
            return Topics.INVENTORY_DELETED;
        }
        if (event instanceof InventoryEvent.Reserved) {
            return Topics.INVENTORY_RESERVED;
        }
        if (event instanceof InventoryEvent.Released) {
            return Topics.INVENTORY_RELEASED;
        }
        if (event instanceof InventoryEvent.Insufficient) {
            return Topics.INVENTORY_INSUFFICIENT;
        }
        if (event instanceof InventoryEvent.ReservationFailed) {
            return Topics.INVENTORY_RESERVATION_FAILED;
        }
        return Topics.INVENTORY_COMMANDS_REJECTED;
    }

    @Override
    public String extract(final String key, final OutboundEvent value, final RecordContext recordContext) {
        return topicFor(value.event());
    }

    /** Shown by {@code Topology.describe()}: stable, so the checked-in description does not churn. */
    @Override
    public String toString() {
        return "OutboundTopics[inventory.* by event type]";
    }
}
