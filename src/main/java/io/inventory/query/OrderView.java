package io.inventory.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.inventory.domain.OrderState;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An order as the API shows it. {@code status} is {@code PENDING} while a decision is awaited, else the
 * {@link io.inventory.domain.OrderStatus} name; {@code placed} is false for an order known only from events that
 * came before its create; {@code reserved} is the units reserved for the order per productId, {@code fulfilled} the
 * units shipped per productId. On the wire {@code reserved} is {@code held}, its name from before "held" meant units
 * of a pending decision only.
 */
public record OrderView(String orderId, String status, boolean placed,
                        @JsonProperty("held") Map<String, Long> reserved, Map<String, Long> fulfilled,
                        String servedBy) {

    public static final String PENDING = "PENDING";

    public OrderView {
        reserved = Collections.unmodifiableSortedMap(new TreeMap<>(reserved));
        // A peer of an older version sends no fulfilled units.
        fulfilled = fulfilled == null ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(new TreeMap<>(fulfilled));
    }

    public static OrderView of(final OrderState state, final String servedBy) {
        final String status = state.pending() != null ? PENDING : state.status().name();
        return new OrderView(state.orderId(), status, state.placed(), state.reserved(), state.fulfilled(), servedBy);
    }
}
