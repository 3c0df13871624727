package io.inventory.domain;

import java.math.BigDecimal;

/**
 * An outbound event, one per record on an {@code inventory.*} topic; the record's components are the payload.
 * {@code aggregateId} is the productId and the record key.
 */
public sealed interface InventoryEvent {

    String aggregateId();

    record ItemCreated(String aggregateId, String title, String brand, long quantity, BigDecimal price,
                       String currency) implements InventoryEvent {
    }

    /** The item's full state after an update or an adjustment; {@code quantity} is the new on-hand count. */
    record ItemUpdated(String aggregateId, String title, String brand, long quantity, BigDecimal price,
                       String currency, long reserved, long available) implements InventoryEvent {
    }

    record ItemDeleted(String aggregateId) implements InventoryEvent {
    }

    record Reserved(String aggregateId, long quantity, String orderId, String userId, long available)
        implements InventoryEvent {
    }

    record Released(String aggregateId, long quantity, String orderId, long available) implements InventoryEvent {
    }

    record Insufficient(String aggregateId, long requested, long available, String orderId) implements InventoryEvent {
    }

    record ReservationFailed(String aggregateId, FailureReason reason, String orderId) implements InventoryEvent {
    }

    /** A command that was not applied; {@code commandId} is its eventId. */
    record CommandRejected(String aggregateId, String commandId, String commandType, RejectionReason reason)
        implements InventoryEvent {
    }
}
