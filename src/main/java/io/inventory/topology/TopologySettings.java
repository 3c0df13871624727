package io.inventory.topology;

import java.time.Duration;

/**
 * What the topology's shape depends on. {@code partitions} is the partition count of every internal topic:
 * the order task's inputs must be co-partitioned, and so must the stock task's.
 * {@code retention} is how long settled orders, cancel markers and deleted products are remembered.
 */
public record TopologySettings(String applicationId, int partitions, Duration retention) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public TopologySettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    public String repliesTopic() {
        return Topics.replies(applicationId);
    }

    /** How often stream time triggers a purge of expired entries: often enough to keep stores bounded. */
    public Duration purgeInterval() {
        final Duration hour = Duration.ofHours(1);
        return retention.compareTo(hour) < 0 ? retention : hour;
    }
}
