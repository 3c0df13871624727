package io.inventory.domain;

import java.math.BigDecimal;

/**
 * An outbound event, one per record on an {@code inventory.*} topic; the record's components are the payload.
 * {@code aggregateId} is the productId and the record key ({@link #key()}). {@link #kind()} places the event in
 * the {@link EventKind} catalogue: its topic, wire name and counter.
 */
public sealed interface InventoryEvent {

    String aggregateId();

    EventKind kind();

    /** The record key: the productId, except for the one event that may name none. */
    default String key() {
        return aggregateId();
    }

    /** The order the event is about, or {@code ""} for item events: part of the event's identity. */
    default String orderRef() {
        return "";
    }

    /** An event about one order's share of a product: the order is part of its identity. */
    sealed interface OfOrder extends InventoryEvent permits Reserved, Released, Insufficient, ReservationFailed,
        Fulfilled, FulfilmentFailed {

        String orderId();

        @Override
        default String orderRef() {
            return orderId();
        }
    }

    record ItemCreated(String aggregateId, String title, String brand, long quantity, BigDecimal price,
                       String currency) implements InventoryEvent {
        @Override
        public EventKind kind() {
            return EventKind.ITEM_CREATED;
        }
    }

    /** The item's full state after an update or an adjustment; {@code quantity} is the new on-hand count. */
    record ItemUpdated(String aggregateId, String title, String brand, long quantity, BigDecimal price,
                       String currency, long reserved, long available) implements InventoryEvent {
        @Override
        public EventKind kind() {
            return EventKind.ITEM_UPDATED;
        }
    }

    record ItemDeleted(String aggregateId) implements InventoryEvent {
        @Override
        public EventKind kind() {
            return EventKind.ITEM_DELETED;
        }
    }

    record Reserved(String aggregateId, long quantity, String orderId, String userId, long available)
        implements OfOrder {
        @Override
        public EventKind kind() {
            return EventKind.RESERVED;
        }
    }

    record Released(String aggregateId, long quantity, String orderId, long available, ReleaseReason reason)
        implements OfOrder {
        @Override
        public EventKind kind() {
            return EventKind.RELEASED;
        }

        /** The reason is part of the identity: an expiry's release differs from an update's, same cause or not. */
        @Override
        public String orderRef() {
            return orderId + '|' + reason;
        }
    }

    record Insufficient(String aggregateId, long requested, long available, String orderId) implements OfOrder {
        @Override
        public EventKind kind() {
            return EventKind.INSUFFICIENT;
        }
    }

    record ReservationFailed(String aggregateId, FailureReason reason, String orderId) implements OfOrder {
        @Override
        public EventKind kind() {
            return EventKind.RESERVATION_FAILED;
        }
    }

    /** Units shipped: {@code onHand} and the order's reservation both fell by {@code quantity}. */
    record Fulfilled(String aggregateId, long quantity, String orderId, long onHand) implements OfOrder {
        @Override
        public EventKind kind() {
            return EventKind.FULFILLED;
        }
    }

    /**
     * A fulfilment that was not applied. {@code requested} and {@code reserved} are set for
     * {@link FulfilmentFailureReason#EXCEEDS_RESERVATION} only. {@code aggregateId} is null when the fulfilment
     * names no product and the order never held one: the record is then keyed by the orderId.
     */
    record FulfilmentFailed(String aggregateId, String orderId, FulfilmentFailureReason reason, Long requested,
                            Long reserved) implements OfOrder {
        @Override
        public EventKind kind() {
            return EventKind.FULFILMENT_FAILED;
        }

        @Override
        public String key() {
            return aggregateId != null ? aggregateId : orderId;
        }
    }

    /** A command that was not applied; {@code commandId} is its eventId. */
    record CommandRejected(String aggregateId, String commandId, String commandType, RejectionReason reason)
        implements InventoryEvent {
        @Override
        public EventKind kind() {
            return EventKind.COMMAND_REJECTED;
        }
    }
}
