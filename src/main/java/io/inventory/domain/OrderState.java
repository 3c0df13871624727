package io.inventory.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the order side knows of one order: whether its create has been seen, its status, the units it
 * holds per product, the decision it waits for (if any), updates and fulfilments that arrived while waiting, and
 * recent event ids. {@code step} grows with every request the order sends; see {@link Allocation}.
 *
 * <p>The lifecycle adds: {@code fulfilled}, the units shipped per product; {@code lastHeld}, the products the order
 * held just before it last stopped holding any (a cancel, an expiry, a last shipment), which a refused fulfilment
 * that names no product is answered on; {@code reservedAt} (wall clock) and {@code reservedBy}, when and by which
 * order event what the order holds last changed: the reservation expires {@code RESERVATION_TTL} after it.
 * {@code updatedAt} is when (wall clock) the order last changed; a settled order is purged {@code RETENTION} after.
 */
public record OrderState(String orderId, String userId, boolean placed, OrderStatus status, Map<String, Long> held,
                         long step, PendingStep pending, List<OrderEvent> deferred, List<String> recentEventIds,
                         long updatedAt, Map<String, Long> fulfilled, List<String> lastHeld, long reservedAt,
                         Cause reservedBy) {

    public OrderState {
        held = sorted(held);
        deferred = List.copyOf(deferred);
        recentEventIds = List.copyOf(recentEventIds);
        fulfilled = sorted(fulfilled);
        lastHeld = lastHeld == null ? List.of() : List.copyOf(lastHeld);
    }

    public static OrderState unknown(final String orderId, final long now) {
        return new OrderState(orderId, null, false, OrderStatus.NEW, Map.of(), 0L, null, List.of(), List.of(), now,
            Map.of(), List.of(), 0L, null);
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
        return new OrderState(orderId, userId, placed, status, held, step, pending, deferred, ids, updatedAt,
            fulfilled, lastHeld, reservedAt, reservedBy);
    }

    OrderState placed(final String placedBy) {
        return new OrderState(orderId, placedBy, true, status, held, step, pending, deferred, recentEventIds,
            updatedAt, fulfilled, lastHeld, reservedAt, reservedBy);
    }

    /**
     * The order with a new status and holding; when it stops holding anything, the products it held are kept in
     * {@link #lastHeld()}.
     */
    OrderState with(final OrderStatus newStatus, final Map<String, Long> newHeld) {
        final List<String> newLastHeld = newHeld.isEmpty() && !held.isEmpty() ? List.copyOf(held.keySet()) : lastHeld;
        return new OrderState(orderId, userId, placed, newStatus, newHeld, step, pending, deferred, recentEventIds,
            updatedAt, fulfilled, newLastHeld, reservedAt, reservedBy);
    }

    OrderState withStep(final long newStep, final PendingStep newPending) {
        return new OrderState(orderId, userId, placed, status, held, newStep, newPending, deferred, recentEventIds,
            updatedAt, fulfilled, lastHeld, reservedAt, reservedBy);
    }

    OrderState withDeferred(final List<OrderEvent> newDeferred) {
        return new OrderState(orderId, userId, placed, status, held, step, pending, newDeferred, recentEventIds,
            updatedAt, fulfilled, lastHeld, reservedAt, reservedBy);
    }

    /** The reservation's clock restarts: {@code cause} changed what the order holds, at {@code at} (wall clock). */
    OrderState reservedFrom(final long at, final Cause cause) {
        return new OrderState(orderId, userId, placed, status, held, step, pending, deferred, recentEventIds,
            updatedAt, fulfilled, lastHeld, at, cause);
    }

    OrderState withFulfilled(final Map<String, Long> newFulfilled) {
        return new OrderState(orderId, userId, placed, status, held, step, pending, deferred, recentEventIds,
            updatedAt, newFulfilled, lastHeld, reservedAt, reservedBy);
    }

    OrderState touched(final long now) {
        return new OrderState(orderId, userId, placed, status, held, step, pending, deferred, recentEventIds, now,
            fulfilled, lastHeld, reservedAt, reservedBy);
    }

    private static Map<String, Long> sorted(final Map<String, Long> map) {
        return map == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
