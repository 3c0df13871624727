package io.inventory.domain;

import java.util.List;

/**
 * What the owner of a product does with one command or request: the state to write ({@code null} when nothing
 * changed), the replies for the order side and the events to publish.
 */
public record StockOutcome(ProductState state, List<StockReply> replies, List<Emitted> events) {

    public StockOutcome {
        replies = List.copyOf(replies);
        events = List.copyOf(events);
    }

    static StockOutcome unchanged() {
        return new StockOutcome(null, List.of(), List.of());
    }

    static StockOutcome write(final ProductState state, final Emitted... events) {
        return new StockOutcome(state, List.of(), List.of(events));
    }

    static StockOutcome reply(final ProductState state, final StockReply reply) {
        return new StockOutcome(state, List.of(reply), List.of());
    }
}
