package io.inventory.topology;

import io.inventory.serde.OutboundEvent;

/** A processor's output and where it goes next; the topology splits a stream of these into named branches. */
sealed interface Routed {

    /** The original key and value bytes of a bad inbound record, bound for {@link Topics#INVENTORY_DLQ}. */
    record ToDeadLetter(byte[] key, byte[] value) implements Routed {
    }

    record ToOrders(OrderInput input) implements Routed {
    }

    record ToStock(StockInput input) implements Routed {
    }

    record ToPublish(OutboundEvent event) implements Routed {
    }
}
