package io.inventory.topology;

import io.inventory.domain.OrderEvent;
import io.inventory.domain.StockReply;

/**
 * What reaches the order task, keyed by orderId: an order event or a product owner's reply, matched as
 * {@code match(onEvent, onReply)}. On the wire ({@code orders-by-id}, {@code <app>-replies-by-order}) it is
 * {@code {"event":...}} or {@code {"reply":...}} ({@link InputSerdes}).
 */
public sealed interface OrderInput extends OneOf<OrderEvent, StockReply> permits OrderInput.Event, OrderInput.Reply {

    default String orderId() {
        return match(OrderEvent::orderId, StockReply::orderId);
    }

    record Event(OrderEvent value) implements OrderInput, OneOf.First<OrderEvent, StockReply> {
    }

    record Reply(StockReply value) implements OrderInput, OneOf.Second<OrderEvent, StockReply> {
    }
}
