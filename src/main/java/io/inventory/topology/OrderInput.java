package io.inventory.topology;

import io.inventory.domain.OrderEvent;
import io.inventory.domain.StockReply;
import java.util.function.Function;

/**
 * What reaches the order task, keyed by orderId: an order event or a product owner's reply. On the wire
 * ({@code orders-by-id}, {@code <app>-replies-by-order}) it is {@code {"event":...}} or {@code {"reply":...}}
 * ({@link InputSerdes}).
 */
public sealed interface OrderInput permits OrderInput.Event, OrderInput.Reply {

    /**
     * The one function of the input's case applied to its value. Every case implements it and every caller names
     * a function per case, so the compiler checks that both sides handle every case (Java 17 has no pattern switch).
     */
    <R> R match(Function<OrderEvent, R> onEvent, Function<StockReply, R> onReply);

    default String orderId() {
        return match(OrderEvent::orderId, StockReply::orderId);
    }

    record Event(OrderEvent event) implements OrderInput {
        @Override
        public <R> R match(final Function<OrderEvent, R> onEvent, final Function<StockReply, R> onReply) {
            return onEvent.apply(event);
        }
    }

    record Reply(StockReply reply) implements OrderInput {
        @Override
        public <R> R match(final Function<OrderEvent, R> onEvent, final Function<StockReply, R> onReply) {
            return onReply.apply(reply);
        }
    }
}
