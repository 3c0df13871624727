package io.inventory.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the order side knows of one order: whether its create has been seen, its status, the units it
 * holds per product, the decision it waits for (if any), updates that arrived while waiting, and recent event
 * ids. {@code step} grows with every request the order sends; see {@link Allocation}.
 */
public record OrderState(String orderId, String userId, boolean placed, OrderStatus status, Map<String, Long> held,
                         long step, PendingStep pending, List<OrderEvent> deferred, List<String> recentEventIds,
                         long updatedAt) {

    public OrderState {
        held = Collections.unmodifiableSortedMap(new TreeMap<>(held));
        deferred = List.copyOf(deferred);
        recentEventIds = List.copyOf(recentEventIds);
    }

    public static OrderState unknown(final String orderId, final long now) {
        return new OrderState(orderId, null, false, OrderStatus.NEW, Map.of(), 0L, null, List.of(), List.of(), now);
    }

    /** True when no decision is pending and the order holds nothing: it may be forgotten after the retention. */
    public boolean isSettled() {
        return pending == null && deferred.isEmpty() && held.isEmpty() && status != OrderStatus.RESERVED;
    }

    public boolean hasSeen(final String eventId) {
        return recentEventIds.contains(eventId);
    }

    OrderState remembering(final String eventId) {
        final List<String> ids = new ArrayList<>(recentEventIds);
        ids.add(eventId);
        while (ids.size() > Limits.REMEMBERED_EVENT_IDS) {
            ids.remove(0);
        }
        return new OrderState(orderId, userId, placed, status, held, step, pending, deferred, ids, updatedAt);
    }

    OrderState placed(final String placedBy) {
        return new OrderState(orderId, placedBy, true, status, held, step, pending, deferred, recentEventIds,
            updatedAt);
    }

    OrderState with(final OrderStatus newStatus, final Map<String, Long> newHeld) {
        return new OrderState(orderId, userId, placed, newStatus, newHeld, step, pending, deferred, recentEventIds,
            updatedAt);
    }

    OrderState withStep(final long newStep, final PendingStep newPending) {
        return new OrderState(orderId, userId, placed, status, held, newStep, newPending, deferred, recentEventIds,
            updatedAt);
    }

    OrderState withDeferred(final List<OrderEvent> newDeferred) {
        return new OrderState(orderId, userId, placed, status, held, step, pending, newDeferred, recentEventIds,
            updatedAt);
    }

    OrderState touched(final long now) {
        return new OrderState(orderId, userId, placed, status, held, step, pending, deferred, recentEventIds, now);
    }
}
