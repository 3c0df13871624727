package io.inventory.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the order side knows of one order: whether its create has been seen, its status, the units reserved
 * for it per product, the decision it waits for (if any), updates and fulfilments that arrived while waiting, and
 * recent event ids. {@code step} grows with every request the order sends; see {@link Allocation}.
 *
 * <p>The lifecycle adds: {@code fulfilled}, the units shipped per product; {@code lastReserved}, the products
 * reserved for the order just before it last stopped having any (a cancel, an expiry, a last shipment), which a
 * refused fulfilment that names no product is answered on; {@code reservedAt} (wall clock) and {@code reservedBy}, when and by which
 * order event what the order has reserved last changed: the reservation expires {@code RESERVATION_TTL} after it.
 * {@code updatedAt} is when (wall clock) the order last changed; a settled order is purged {@code RETENTION} after.
 *
 * <p>In the {@code orders} store {@code reserved} and {@code lastReserved} are named {@code held} and
 * {@code lastHeld} ({@code io.inventory.serde.Json}), their names from before "held" meant units of a pending
 * decision only.
 */
public record OrderState(String orderId, String userId, boolean placed, OrderStatus status, Map<String, Long> reserved,
                         long step, PendingStep pending, List<OrderEvent> deferred, List<String> recentEventIds,
                         long updatedAt, Map<String, Long> fulfilled, List<String> lastReserved, long reservedAt,
                         Cause reservedBy) {

    public OrderState {
        reserved = sorted(reserved);
        deferred = List.copyOf(deferred);
        recentEventIds = List.copyOf(recentEventIds);
        fulfilled = sorted(fulfilled);
        lastReserved = lastReserved == null ? List.of() : List.copyOf(lastReserved);
    }

    public static OrderState unknown(final String orderId, final long now) {
        return new OrderState(orderId, null, false, OrderStatus.NEW, Map.of(), 0L, null, List.of(), List.of(), now,
            Map.of(), List.of(), 0L, null);
    }

    /** True when no decision is pending and nothing is reserved for the order: it may be forgotten after the retention. */
    public boolean isSettled() {
        return pending == null && deferred.isEmpty() && reserved.isEmpty() && status != OrderStatus.RESERVED;
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
        return new OrderState(orderId, userId, placed, status, reserved, step, pending, deferred, ids, updatedAt,
            fulfilled, lastReserved, reservedAt, reservedBy);
    }

    OrderState placed(final String placedBy) {
        return new OrderState(orderId, placedBy, true, status, reserved, step, pending, deferred, recentEventIds,
            updatedAt, fulfilled, lastReserved, reservedAt, reservedBy);
    }

    /**
     * The order with a new status and holding; when it stops holding anything, the products it reserved are kept in
     * {@link #lastReserved()}.
     */
    OrderState with(final OrderStatus newStatus, final Map<String, Long> newReserved) {
        final List<String> newLastReserved = newReserved.isEmpty() && !reserved.isEmpty() ? List.copyOf(reserved.keySet()) : lastReserved;
        return new OrderState(orderId, userId, placed, newStatus, newReserved, step, pending, deferred, recentEventIds,
            updatedAt, fulfilled, newLastReserved, reservedAt, reservedBy);
    }

    OrderState withStep(final long newStep, final PendingStep newPending) {
        return new OrderState(orderId, userId, placed, status, reserved, newStep, newPending, deferred, recentEventIds,
            updatedAt, fulfilled, lastReserved, reservedAt, reservedBy);
    }

    OrderState withDeferred(final List<OrderEvent> newDeferred) {
        return new OrderState(orderId, userId, placed, status, reserved, step, pending, newDeferred, recentEventIds,
            updatedAt, fulfilled, lastReserved, reservedAt, reservedBy);
    }

    /** The reservation's clock restarts: {@code cause} changed what the order has reserved, at {@code at} (wall clock). */
    OrderState reservedFrom(final long at, final Cause cause) {
        return new OrderState(orderId, userId, placed, status, reserved, step, pending, deferred, recentEventIds,
            updatedAt, fulfilled, lastReserved, at, cause);
    }

    OrderState withFulfilled(final Map<String, Long> newFulfilled) {
        return new OrderState(orderId, userId, placed, status, reserved, step, pending, deferred, recentEventIds,
            updatedAt, newFulfilled, lastReserved, reservedAt, reservedBy);
    }

    OrderState touched(final long now) {
        return new OrderState(orderId, userId, placed, status, reserved, step, pending, deferred, recentEventIds, now,
            fulfilled, lastReserved, reservedAt, reservedBy);
    }

    private static Map<String, Long> sorted(final Map<String, Long> map) {
        return map == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
