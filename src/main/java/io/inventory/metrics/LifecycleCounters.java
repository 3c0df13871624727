package io.inventory.metrics;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * What the order task's clock did, per task, as Kafka Streams sensors of group {@value TaskSensors#GROUP}:
 * reservations released because they outlived {@code RESERVATION_TTL} (one per order) and decisions abandoned after
 * {@code DECISION_TIMEOUT} (one per step). Like {@link PublishedEventCounters}, they count processing.
 */
public final class LifecycleCounters {

    public static final String EXPIRED_RESERVATIONS = "expired-reservations-total";
    public static final String TIMED_OUT_DECISIONS = "timed-out-decisions-total";

    private final TaskSensors sensors;
    private final Sensor expired;
    private final Sensor timedOut;

    private LifecycleCounters(final TaskSensors sensors) {
        this.sensors = sensors;
        expired = sensors.counter(EXPIRED_RESERVATIONS,
            "The number of orders whose reservation this task released on expiry", Map.of());
        timedOut = sensors.counter(TIMED_OUT_DECISIONS,
            "The number of decisions this task abandoned because an answer did not come in time", Map.of());
    }

    /** Call from {@code init} of the order task's processor; {@link #unregister()} from its {@code close}. */
    public static LifecycleCounters register(final ProcessingContext context) {
        return new LifecycleCounters(new TaskSensors(context));
    }

    public void expired() {
        expired.record();
    }

    public void timedOut() {
        timedOut.record();
    }

    public void unregister() {
        sensors.remove(List.of(expired, timedOut));
    }
}
