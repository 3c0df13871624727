package io.inventory.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The order side's clocks: how long a reservation lives ({@code RESERVATION_TTL}, empty: for ever) and how long a
 * decision waits for its answers ({@code DECISION_TIMEOUT}). {@link #next(OrderState)} says what an order waits for
 * next on the wall clock, so the order task can index orders by due time and never scan them all.
 */
public record Deadlines(Optional<Duration> reservationTtl, Duration decisionTimeout) {

    public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofSeconds(30);

    public Deadlines {
        Objects.requireNonNull(reservationTtl, "reservationTtl");
        Objects.requireNonNull(decisionTimeout, "decisionTimeout");
    }

    /** What is due for an order, and when (epoch millis, wall clock). */
    public record Due(Kind kind, long at) {
        public enum Kind {
            /** The pending step is abandoned: {@link OrderSaga#abandon}. */
            DECISION,
            /** The reservation is released: {@link OrderSaga#expire}. */
            EXPIRY
        }
    }

    /**
     * The next thing due for the order, if any. A pending decision comes first: an expiry due meanwhile waits for
     * it, and is due at once after it if the decision did not change what the order holds.
     */
    public Optional<Due> next(final OrderState state) {
        if (state == null) {
            return Optional.empty();
        }
        if (state.pending() != null) {
            return Optional.of(new Due(Due.Kind.DECISION, state.pending().startedAt() + decisionTimeout.toMillis()));
        }
        if (state.status() == OrderStatus.RESERVED && !state.held().isEmpty() && reservationTtl.isPresent()) {
            return Optional.of(new Due(Due.Kind.EXPIRY, state.reservedAt() + reservationTtl.get().toMillis()));
        }
        return Optional.empty();
    }
}
