package io.inventory.metrics;

import io.inventory.domain.EventKind;
import io.inventory.domain.InventoryEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The outbound events one stream task publishes, counted by kind ({@link EventKind}) as Kafka Streams sensors:
 * they reach {@code KafkaStreams#metrics()}, and through it {@link ServiceMetrics}, with no wiring and no
 * Micrometer in the topology. Each counter is the Kafka metric {@code <event>-events-total} of group
 * {@value TaskSensors#GROUP}, tagged {@code thread-id} and {@code task-id}, and exists from the task's start, at
 * zero; in the scrape, for instance, {@code kafka_inventory_reserved_events_total{task_id="2_0",...}}. Beside them,
 * {@value #FULFILLED_UNITS} sums the units shipped.
 *
 * <p>They count processing, not committed output: under exactly-once, the records of a transaction that is
 * later aborted (a crash, a fenced producer, a rebalance) are counted, and counted again when they are
 * reprocessed. A task's counters go when the task closes and start again from zero where it is next assigned,
 * so read them with {@code rate()} or {@code increase()}, summed over tasks.
 */
public final class PublishedEventCounters {

    public static final String FULFILLED_UNITS = "fulfilled-units-total";

    private final TaskSensors sensors;
    private final Map<EventKind, Sensor> counters = new EnumMap<>(EventKind.class);
    private final Sensor fulfilledUnits;

    private PublishedEventCounters(final TaskSensors sensors) {
        this.sensors = sensors;
        for (final EventKind kind : EventKind.values()) {
            counters.put(kind, sensors.counter(kind.metricName(), description(kind), Map.of()));
        }
        fulfilledUnits = sensors.sum(FULFILLED_UNITS, "The number of units this task shipped (inventory.fulfilled)");
    }

    /** Call from {@code init} of the processor that publishes; {@link #unregister()} from its {@code close}. */
    public static PublishedEventCounters register(final ProcessingContext context) {
        return new PublishedEventCounters(new TaskSensors(context));
    }

    public static String description(final EventKind kind) {
        return "The number of " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + " events this task published";
    }

    public void record(final InventoryEvent event) {
        counters.get(event.kind()).record();
        if (event instanceof InventoryEvent.Fulfilled fulfilled) {
            fulfilledUnits.record(fulfilled.quantity());
        }
    }

    public void unregister() {
        final List<Sensor> all = new ArrayList<>(counters.values());
        all.add(fulfilledUnits);
        sensors.remove(all);
    }
}
