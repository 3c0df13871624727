package io.inventory.domain;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

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

    /**
     * The one function of the event's case applied to it. Every caller names a function per case, so a new case
     * does not compile until every caller handles it (Java 17 has no pattern switch); here, each function is paired
     * with its case.
     */
    default <R> R match(final Function<Placed, R> onPlaced, final Function<Changed, R> onChanged,
                        final Function<Cancelled, R> onCancelled, final Function<Fulfilled, R> onFulfilled) {
        return Case.match(this, new Case<>(Placed.class, onPlaced), new Case<>(Changed.class, onChanged),
            new Case<>(Cancelled.class, onCancelled), new Case<>(Fulfilled.class, onFulfilled));
    }

    /** An unmodifiable copy in productId order, so that every walk over the lines is deterministic. */
    static Map<String, Long> sorted(final Map<String, Long> lines) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(lines));
    }
}
