package io.inventory.metrics;

import io.inventory.domain.InventoryEvent;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The outbound events one stream task publishes, counted by type ({@link EventCounter}) as Kafka Streams sensors:
 * they reach {@code KafkaStreams#metrics()}, and through it {@link ServiceMetrics}, with no wiring and no
 * Micrometer in the topology. Each counter is the Kafka metric {@code <event>-events-total} of group
 * {@value TaskSensors#GROUP}, tagged {@code thread-id} and {@code task-id}, and exists from the task's start, at
 * zero; in the scrape, for instance, {@code kafka_inventory_reserved_events_total{task_id="2_0",...}}.
 *
 * <p>They count processing, not committed output: under exactly-once, the records of a transaction that is
 * later aborted (a crash, a fenced producer, a rebalance) are counted, and counted again when they are
 * reprocessed. A task's counters go when the task closes and start again from zero where it is next assigned,
 * so read them with {@code rate()} or {@code increase()}, summed over tasks.
 */
public final class PublishedEventCounters {

    private final TaskSensors sensors;
    private final Map<EventCounter, Sensor> counters = new EnumMap<>(EventCounter.class);

    private PublishedEventCounters(final TaskSensors sensors) {
        this.sensors = sensors;
        for (final EventCounter counter : EventCounter.values()) {
            counters.put(counter, sensors.counter(counter.metricName(), counter.description(), Map.of()));
        }
    }

    /** Call from {@code init} of the processor that publishes; {@link #unregister()} from its {@code close}. */
    public static PublishedEventCounters register(final ProcessingContext context) {
        return new PublishedEventCounters(new TaskSensors(context));
    }

    public void record(final InventoryEvent event) {
        counters.get(EventCounter.of(event)).record();
    }

    public void unregister() {
        sensors.remove(List.copyOf(counters.values()));
    }
}
