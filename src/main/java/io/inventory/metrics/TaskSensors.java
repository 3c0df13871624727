package io.inventory.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Counting sensors of one stream task, tagged {@code thread-id} and {@code task-id} like Kafka's own task-level
 * metrics. Kafka's {@code addRateTotalSensor} is not used: it names its sensor by thread, entity and operation
 * only, so two tasks of one thread, or two tags of one name, would share a sensor and count into each other.
 *
 * <p>A sensor's name is global to the client's metrics, hence the thread and the task in it. Two processors of
 * one task that count the same thing share its sensor and both count into it; this happens in a
 * {@code TopologyTestDriver}, which runs the whole topology as one task.
 */
final class TaskSensors {

    /** The Kafka metrics group of every business counter: in the scrape, their names start {@code kafka_inventory_}. */
    static final String GROUP = "inventory";
    static final String THREAD_ID_TAG = "thread-id";
    static final String TASK_ID_TAG = "task-id";

    private final StreamsMetrics metrics;
    private final String thread;
    private final String task;

    /** Call from {@code Processor#init}: Kafka Streams runs it on the stream thread that will process the task. */
    TaskSensors(final ProcessingContext context) {
        this.metrics = context.metrics();
        this.thread = Thread.currentThread().getName();
        this.task = context.taskId().toString();
    }

    /** A sensor whose every {@code record(v)} adds {@code v} to the cumulative metric {@code name}. */
    Sensor sum(final String name, final String description) {
        final Sensor sensor = metrics.addSensor(sensorName(name, Map.of()), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, tags(Map.of())), new CumulativeSum());
        return sensor;
    }

    /** A sensor whose every {@code record()} adds one to the cumulative metric {@code name}, with these tags. */
    Sensor counter(final String name, final String description, final Map<String, String> tags) {
        final Sensor sensor = metrics.addSensor(sensorName(name, tags), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, tags(tags)), new CumulativeCount());
        return sensor;
    }

    private Map<String, String> tags(final Map<String, String> tags) {
        final Map<String, String> allTags = new LinkedHashMap<>();
        allTags.put(THREAD_ID_TAG, thread);
        allTags.put(TASK_ID_TAG, task);
        allTags.putAll(tags);
        return allTags;
    }

    private String sensorName(final String name, final Map<String, String> tags) {
        final StringBuilder sensorName = new StringBuilder("inventory.").append(thread).append(".task.").append(task)
            .append('.').append(name);
        tags.values().forEach(value -> sensorName.append('.').append(value));
        return sensorName.toString();
    }

    /** Removes the sensors and their metrics, as Kafka does with its own when a task closes. */
    void remove(final List<Sensor> sensors) {
        sensors.forEach(metrics::removeSensor);
    }
}
