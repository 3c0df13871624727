package io.inventory.serde;

import io.inventory.domain.Cause;
import io.inventory.domain.Emitted;
import io.inventory.domain.InventoryEvent;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An outbound event as it goes on the wire: the envelope's id and time around a domain event and its cause.
 *
 * <p>The id is a name-based UUID of the cause and the event, so that processing the same input twice (a replay,
 * a retry under at-least-once) produces the same id and consumers can deduplicate by it.
 */
public record OutboundEvent(String eventId, long timestamp, InventoryEvent event, Cause cause) {

    public static OutboundEvent of(final Emitted emitted, final long timestamp) {
        final InventoryEvent event = emitted.event();
        final String name = emitted.cause().eventId() + '|' + eventType(event) + '|' + event.aggregateId() + '|'
            + orderId(event);
        final String id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
        return new OutboundEvent(id, timestamp, event, emitted.cause());
    }

    /** The envelope's {@code eventType} of each outbound event, as the contract names it. */
    public static String eventType(final InventoryEvent event) {
        if (event instanceof InventoryEvent.ItemCreated) {
            return "InventoryItemCreatedEvent";
        }
        if (event instanceof InventoryEvent.ItemUpdated) {
            return "InventoryItemUpdatedEvent";
        }
        if (event instanceof InventoryEvent.ItemDeleted) {
            return "InventoryItemDeletedEvent";
        }
        if (event instanceof InventoryEvent.Reserved) {
            return "InventoryItemReservedEvent";
        }
        if (event instanceof InventoryEvent.Released) {
            return "InventoryItemReleasedEvent";
        }
        if (event instanceof InventoryEvent.Insufficient) {
            return "InsufficientInventoryEvent";
        }
        if (event instanceof InventoryEvent.ReservationFailed) {
            return "InventoryReservationFailedEvent";
        }
        return "InventoryCommandRejectedEvent";
    }

    private static String orderId(final InventoryEvent event) {
        if (event instanceof InventoryEvent.Reserved reserved) {
            return reserved.orderId();
        }
        if (event instanceof InventoryEvent.Released released) {
            return released.orderId();
        }
        if (event instanceof InventoryEvent.Insufficient insufficient) {
            return insufficient.orderId();
        }
        if (event instanceof InventoryEvent.ReservationFailed failed) {
            return failed.orderId();
        }
        return "";
    }
}
