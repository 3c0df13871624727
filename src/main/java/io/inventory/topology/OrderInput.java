package io.inventory.topology;

import io.inventory.domain.OrderEvent;
import io.inventory.domain.StockReply;

/** What reaches the order task, keyed by orderId: an order event or a product owner's reply; exactly one is set. */
public record OrderInput(OrderEvent event, StockReply reply) {

    public static OrderInput of(final OrderEvent event) {
        return new OrderInput(event, null);
    }

    public static OrderInput of(final StockReply reply) {
        return new OrderInput(null, reply);
    }
}
