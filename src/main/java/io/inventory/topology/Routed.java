package io.inventory.topology;

import io.inventory.serde.OutboundEvent;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * A processor's output and where it goes next: built by one factory per destination, it is bound for exactly one.
 * The topology takes each destination's records through that destination's typed view (the value for a record
 * bound there, nothing for the others), with {@code flatMapValues}: no predicate and no cast, and a new destination
 * is a new component that every factory must fill.
 *
 * @param deadLetter the original key and value of a bad inbound record, for {@link Topics#INVENTORY_DLQ}
 * @param toOrders an input of the order task: an order event (to repartition by orderId) or a reply
 * @param toStock an input of the stock task: an item command or an order's request (to repartition by productId)
 * @param toPublish an event for an {@code inventory.*} topic
 */
record Routed(List<KeyValue<byte[], byte[]>> deadLetter, List<OrderInput> toOrders, List<StockInput> toStock,
              List<OutboundEvent> toPublish) {

    static Routed deadLetter(final byte[] key, final byte[] value) {
        return new Routed(List.of(KeyValue.pair(key, value)), List.of(), List.of(), List.of());
    }

    static Routed toOrders(final OrderInput input) {
        return new Routed(List.of(), List.of(input), List.of(), List.of());
    }

    static Routed toStock(final StockInput input) {
        return new Routed(List.of(), List.of(), List.of(input), List.of());
    }

    static Routed toPublish(final OutboundEvent event) {
        return new Routed(List.of(), List.of(), List.of(), List.of(event));
    }
}
