package io.inventory.domain;

import java.util.List;

/**
 * What the order side does with one order event or stock reply: the state to write ({@code null} when nothing
 * changed), the requests for product owners and the events to publish.
 */
public record OrderOutcome(OrderState state, List<StockRequest> requests, List<Emitted> events) {

    public OrderOutcome {
        requests = List.copyOf(requests);
        events = List.copyOf(events);
    }
}
