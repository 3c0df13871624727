package io.inventory.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The service's metrics, served in the Prometheus text format (0.0.4) by whoever exposes {@link #scrape()}.
 *
 * <p>Two sources. Everything Kafka Streams reports through {@link KafkaStreams#metrics()}: its threads, tasks,
 * consumers (e.g. {@code records-lag-max}), producers (errors, retries) and the business counters the topology
 * records per task ({@link PublishedEventCounters}, {@link DeadLetterCounters}). A Kafka metric of group
 * {@code g-metrics} and name {@code n} is named {@code kafka_g_n} (dashes turned into underscores), its tags
 * become labels, and a cumulative count is a Prometheus counter. And the JVM metrics that cost nothing
 * between scrapes: memory, GC, threads, process CPU and uptime.
 *
 * <p>The Kafka binder looks for new and removed Kafka metrics once a minute: a task-level metric shows up in the
 * scrape up to a minute after its task is assigned, and leaves up to a minute after it is revoked.
 */
public final class ServiceMetrics implements AutoCloseable {

    /** The Prometheus text exposition format 0.0.4, which {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final List<MeterBinder> binders;

    ServiceMetrics(final List<MeterBinder> binders) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.binders = List.copyOf(binders);
        try {
            this.binders.forEach(binder -> binder.bindTo(registry));
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The metrics of {@code streams} and of this JVM; call before or after {@code streams.start()}. */
    public static ServiceMetrics create(final KafkaStreams streams) {
        final List<MeterBinder> binders = new ArrayList<>(jvmBinders());
        binders.add(new KafkaStreamsMetrics(streams));
        return new ServiceMetrics(binders);
    }

    /**
     * JVM and process binders whose values are read at scrape time. Left out on purpose: heap pressure and
     * executor metrics (they need their own background work), and anything per class or per thread.
     */
    static List<MeterBinder> jvmBinders() {
        return List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(),
            new UptimeMetrics());
    }

    /** Where the service may add meters of its own (HTTP timings, for instance); they are scraped with the rest. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric, now, in the format {@link #contentType()} names. */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    public String contentType() {
        return CONTENT_TYPE;
    }

    /** Stops the binders' background work (the Kafka binder's refresh, the GC listener) and the registry. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (final MeterBinder binder : binders) {
            if (binder instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (final Exception e) {
                    final RuntimeException wrapped = new IllegalStateException("cannot close " + binder, e);
                    if (failure == null) {
                        failure = wrapped;
                    } else {
                        failure.addSuppressed(wrapped);
                    }
                }
            }
        }
        registry.close();
        if (failure != null) {
            throw failure;
        }
    }
}
