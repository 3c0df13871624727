package io.inventory.domain;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An inbound order event, validated. {@code lines} maps productId to the order's total quantity of it
 * (lines of one product summed); {@code invalidLines} lists, sorted, the products whose quantity was not a positive integer
 * within {@link Limits}: such an order is answered with {@link FailureReason#INVALID_QUANTITY}.
 */
public sealed interface OrderEvent {

    String eventId();

    String orderId();

    String userId();

    Cause cause();

    record Placed(String eventId, String orderId, String userId, Map<String, Long> lines, List<String> invalidLines,
                  Cause cause) implements OrderEvent {
        public Placed {
            lines = sorted(lines);
            invalidLines = List.copyOf(new TreeSet<>(invalidLines));
        }
    }

    /** The order's complete new set of lines. */
    record Changed(String eventId, String orderId, String userId, Map<String, Long> lines, List<String> invalidLines,
                   Cause cause) implements OrderEvent {
        public Changed {
            lines = sorted(lines);
            invalidLines = List.copyOf(new TreeSet<>(invalidLines));
        }
    }

    record Cancelled(String eventId, String orderId, String userId, String reason, Cause cause) implements OrderEvent {
    }

    /**
     * The order shipped: {@code lines} (productId to units, lines of one product summed) are the units shipped, or,
     * when empty, everything the order still holds. {@code userId} may be null.
     */
    record Fulfilled(String eventId, String orderId, String userId, Map<String, Long> lines, Cause cause)
        implements OrderEvent {
        public Fulfilled {
            lines = sorted(lines);
        }
    }

    /** An unmodifiable copy in productId order, so that every walk over the lines is deterministic. */
    static Map<String, Long> sorted(final Map<String, Long> lines) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(lines));
    }
}
