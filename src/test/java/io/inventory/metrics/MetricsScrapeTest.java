package io.inventory.metrics;

import io.inventory.domain.EventKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.config.ServiceConfig;
import io.inventory.topology.InventoryTopology;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServiceMetrics} writes. The Kafka binder reads a {@link KafkaStreams}, not a
 * {@code TopologyTestDriver}; a client that is never started already has its thread and client metrics, but no
 * task metrics: the business counters in the scrape are left to the integration tests.
 */
class MetricsScrapeTest {

    @Test
    void shouldExposeTheMetricsOfAKafkaStreamsClient() throws IOException {
        // Port 1 on loopback: nothing listens, and an unstarted client has nothing to send anyway.
        final ServiceConfig config = ServiceConfig.from(Map.of("KAFKA_BROKERS", "127.0.0.1:1",
            "STATE_DIR", Files.createTempDirectory("metrics-state").toString()));
        try (KafkaStreams streams = new KafkaStreams(InventoryTopology.build(config.topologySettings()),
                config.streamsProperties());
             ServiceMetrics metrics = ServiceMetrics.create(streams)) {
            assertThat(metrics.scrape()).contains(
                "# TYPE kafka_stream_thread_process_rate gauge",
                "# TYPE kafka_stream_thread_commit_latency_max gauge",
                "# TYPE kafka_consumer_fetch_manager_records_lag_max gauge",
                "# TYPE kafka_producer_record_error_total counter",
                "# TYPE kafka_producer_record_retry_total counter",
                "# TYPE jvm_memory_used_bytes gauge");
        }
    }

    @Test
    void shouldWriteThePrometheusTextFormatItAdvertises() {
        try (ServiceMetrics metrics = new ServiceMetrics(List.of())) {
            metrics.registry().counter("inventory.test.hits", "kind", "demo").increment(3);

            final String scrape = metrics.scrape();

            assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scrape).contains("# TYPE inventory_test_hits_total counter\n")
                .contains("inventory_test_hits_total{kind=\"demo\"} 3.0\n")
                // OpenMetrics, the other format the registry can write, ends with this line.
                .doesNotContain("# EOF");
        }
    }

    @Test
    void shouldKeepEveryBusinessCounterNameWholeInTheScrape() {
        final List<String> names = new ArrayList<>();
        for (final EventKind kind : EventKind.values()) {
            names.add(kind.metricName());
        }
        names.add(PublishedEventCounters.FULFILLED_UNITS);
        names.add(LifecycleCounters.EXPIRED_RESERVATIONS);
        names.add(LifecycleCounters.TIMED_OUT_DECISIONS);
        names.add(DeadLetterCounters.NAME);
        try (ServiceMetrics metrics = new ServiceMetrics(List.of())) {
            for (final String name : names) {
                // As the Kafka binder names a Kafka metric: kafka.<group>.<name>, dashes as dots, a counter.
                FunctionCounter.builder(("kafka." + TaskSensors.GROUP + "." + name).replace('-', '.'), names,
                    ignored -> 0).register(metrics.registry());
            }

            final String scrape = metrics.scrape();

            // Prometheus drops reserved suffixes (_created, _info, _bucket) before _total: none may be lost.
            names.forEach(name -> assertThat(scrape)
                .contains("# TYPE kafka_" + TaskSensors.GROUP + "_" + name.replace('-', '_') + " counter\n"));
        }
    }

    @Test
    void shouldExposeJvmMemoryGcThreadsCpuAndUptime() {
        try (ServiceMetrics metrics = new ServiceMetrics(ServiceMetrics.jvmBinders())) {
            assertThat(metrics.scrape()).contains(
                "# TYPE jvm_memory_used_bytes gauge",
                "# TYPE jvm_gc_memory_allocated_bytes_total counter",
                "# TYPE jvm_threads_live_threads gauge",
                "# TYPE process_cpu_usage gauge",
                "# TYPE process_uptime_seconds gauge");
        }
    }

    @Test
    void shouldCloseEveryBinderThatHoldsResourcesEvenWhenOneFails() {
        final List<String> closed = new ArrayList<>();
        final ServiceMetrics metrics = new ServiceMetrics(List.of(
            new Binder(() -> {
                closed.add("first");
                throw new IllegalStateException("boom");
            }),
            new Binder(() -> closed.add("second"))));

        assertThatThrownBy(metrics::close).hasRootCauseMessage("boom");
        assertThat(closed).containsExactly("first", "second");
    }

    /** A binder that binds nothing and runs {@code onClose} when closed. */
    private record Binder(Runnable onClose) implements MeterBinder, AutoCloseable {

        @Override
        public void bindTo(final MeterRegistry registry) {
        }

        @Override
        public void close() {
            onClose.run();
        }
    }
}
