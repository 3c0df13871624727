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
        final String name = emitted.cause().eventId() + '|' + event.kind().eventType() + '|' + event.aggregateId()
            + '|' + event.orderRef();
        final String id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
        return new OutboundEvent(id, timestamp, event, emitted.cause());
    }
}
