package io.inventory.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A create or an update waiting for the product owners' answers. {@code increases} are the holds asked for
 * (productId to units), {@code target} the order's lines once the step succeeds, {@code replies} the answers so
 * far. {@code cancelledBy} is set when a cancel arrived meanwhile: the step then ends in a cancel.
 * {@code startedAt} (wall clock) is when the holds were sent: the step is abandoned {@code DECISION_TIMEOUT} later.
 */
public record PendingStep(Kind kind, long step, Map<String, Long> target, Map<String, Long> increases,
                          Map<String, StockReply> replies, Cause cause, Cause cancelledBy, long startedAt) {

    public enum Kind { CREATE, UPDATE }

    public PendingStep {
        target = Collections.unmodifiableSortedMap(new TreeMap<>(target));
        increases = Collections.unmodifiableSortedMap(new TreeMap<>(increases));
        replies = Collections.unmodifiableSortedMap(new TreeMap<>(replies));
    }

    public boolean isAnswered() {
        return replies.keySet().equals(increases.keySet());
    }

    public PendingStep withReply(final StockReply reply) {
        final Map<String, StockReply> next = new TreeMap<>(replies);
        next.put(reply.productId(), reply);
        return new PendingStep(kind, step, target, increases, next, cause, cancelledBy, startedAt);
    }

    public PendingStep cancelledBy(final Cause cancel) {
        return new PendingStep(kind, step, target, increases, replies, cause, cancel, startedAt);
    }
}
