package io.inventory.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The order side's clocks: how long a reservation lives ({@code RESERVATION_TTL}, empty: for ever), how long a
 * decision waits for its answers ({@code DECISION_TIMEOUT}) and how long a settled order is remembered
 * ({@code RETENTION}). {@link #next(OrderState)} says what an order waits for next on the wall clock, so the order
 * task can index orders by due time and never scan them all.
 */
public record Deadlines(Optional<Duration> reservationTtl, Duration decisionTimeout, Duration retention) {

    public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofSeconds(30);

    public Deadlines {
        Objects.requireNonNull(reservationTtl, "reservationTtl");
        Objects.requireNonNull(decisionTimeout, "decisionTimeout");
        Objects.requireNonNull(retention, "retention");
    }

    /** What is due for an order, and when (epoch millis, wall clock). */
    public record Due(Kind kind, long at) {
        public enum Kind {
            /** The pending step is abandoned: {@link OrderSaga#abandon}. */
            DECISION,
            /** The reservation is released: {@link OrderSaga#expire}. */
            EXPIRY,
            /** The settled order is forgotten. */
            PURGE
        }
    }

    /**
     * The next thing due for the order, if any. A pending decision comes first: an expiry due meanwhile waits for
     * it, and is due at once after it if the decision did not change what the order has reserved. A settled order (failed,
     * cancelled, fulfilled, expired, a cancel marker) is forgotten {@code RETENTION} after its last change.
     */
    public Optional<Due> next(final OrderState state) {
        if (state == null) {
            return Optional.empty();
        }
        if (state.pending() != null) {
            return Optional.of(new Due(Due.Kind.DECISION, state.pending().startedAt() + decisionTimeout.toMillis()));
        }
        if (state.status() == OrderStatus.RESERVED && !state.reserved().isEmpty() && reservationTtl.isPresent()) {
            return Optional.of(new Due(Due.Kind.EXPIRY, state.reservedAt() + reservationTtl.get().toMillis()));
        }
        if (state.isSettled()) {
            return Optional.of(new Due(Due.Kind.PURGE, state.updatedAt() + retention.toMillis()));
        }
        return Optional.empty();
    }
}
