package io.inventory.domain;

import java.util.List;

/**
 * What the owner of a product does with one command or request: the state to write ({@code null} when nothing
 * changed), the requesting order's share to write ({@code null} when it did not change, {@link OrderShare#NONE}
 * when the order no longer has any), the replies for the order side and the events to publish.
 */
public record StockOutcome(ProductState state, OrderShare share, List<StockReply> replies, List<Emitted> events) {

    public StockOutcome {
        replies = List.copyOf(replies);
        events = List.copyOf(events);
    }

    public static StockOutcome unchanged() {
        return new StockOutcome(null, null, List.of(), List.of());
    }

    static StockOutcome write(final ProductState state, final Emitted... events) {
        return new StockOutcome(state, null, List.of(), List.of(events));
    }

    static StockOutcome reply(final StockReply reply) {
        return new StockOutcome(null, null, List.of(reply), List.of());
    }

    static StockOutcome allocate(final ProductState state, final OrderShare share, final List<StockReply> replies,
                                 final Emitted... events) {
        return new StockOutcome(state, share, replies, List.of(events));
    }
}
