package io.inventory.metrics;

import io.inventory.serde.InvalidReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The inbound records one stream task sends to the dead letter topic, counted by {@link InvalidReason} as the
 * Kafka metric {@value #NAME} of group {@value TaskSensors#GROUP}, tagged {@code thread-id}, {@code task-id} and
 * {@value #REASON_TAG} (the {@code dlq.reason} header's value); every reason's counter exists from the task's
 * start, at zero. In the scrape: {@code kafka_inventory_dead_letters_total{reason="NOT_JSON",task_id="0_1",...}}.
 *
 * <p>Like {@link PublishedEventCounters}, they count processing, not committed output: under exactly-once a dead
 * letter of an aborted transaction is counted, and counted again when its record is reprocessed; and a task's
 * counters start again from zero where it is next assigned.
 */
public final class DeadLetterCounters {

    public static final String NAME = "dead-letters-total";
    public static final String REASON_TAG = "reason";

    private final TaskSensors sensors;
    private final Map<InvalidReason, Sensor> counters = new EnumMap<>(InvalidReason.class);

    private DeadLetterCounters(final TaskSensors sensors) {
        this.sensors = sensors;
        for (final InvalidReason reason : InvalidReason.values()) {
            counters.put(reason, sensors.counter(NAME, "The number of inbound records dead-lettered by this "
                + "task for this reason", Map.of(REASON_TAG, reason.name())));
        }
    }

    /** Call from {@code init} of the processor that dead-letters; {@link #unregister()} from its {@code close}. */
    public static DeadLetterCounters register(final ProcessingContext context) {
        return new DeadLetterCounters(new TaskSensors(context));
    }

    public void record(final InvalidReason reason) {
        counters.get(reason).record();
    }

    public void unregister() {
        sensors.remove(List.copyOf(counters.values()));
    }
}
