package io.inventory.topology;

import io.inventory.domain.Deadlines;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the topology's shape depends on. {@code partitions} is the partition count of every internal topic:
 * the order task's inputs must be co-partitioned, and so must the stock task's.
 * {@code retention} is how long settled orders, cancel markers and deleted products are remembered;
 * {@code deadlines} when reservations expire and pending decisions are abandoned.
 */
public record TopologySettings(String applicationId, int partitions, Duration retention, Deadlines deadlines) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /**
     * How often the order task's wall-clock punctuator looks for what is due: a small part of the slack the
     * contract gives an expiry (the larger of 10 % of the TTL and 5 s), and cheap, as it reads an index from its
     * start and stops at the first entry not yet due.
     */
    public static final Duration CLOCK_INTERVAL = Duration.ofSeconds(1);

    /** Reservations that never expire and the default decision timeout. */
    public TopologySettings(final String applicationId, final int partitions, final Duration retention) {
        this(applicationId, partitions, retention,
            new Deadlines(Optional.empty(), Deadlines.DEFAULT_DECISION_TIMEOUT, retention));
    }

    public TopologySettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        Objects.requireNonNull(deadlines, "deadlines");
        if (!deadlines.retention().equals(retention)) {
            throw new IllegalArgumentException("the order task's retention must be the topology's");
        }
    }

    public Topic<String, OrderInput> repliesTopic() {
        return Topics.replies(applicationId);
    }

    /**
     * How often stream time moves the stock task's purge of deleted products and old command ids on by one step
     * (a bounded slice of its stores): often enough to keep them bounded, rarely enough to cost next to nothing.
     * (Settled orders are purged on the wall clock, through the due index.)
     */
    public Duration purgeInterval() {
        final Duration step = Duration.ofSeconds(10);
        return retention.compareTo(step) < 0 ? retention : step;
    }
}
