package io.inventory.http;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** A metrics exposition, served as is by {@code GET /metrics}. */
public interface MetricsEndpoint {

    /** The response's {@code Content-Type}, e.g. Prometheus text format 0.0.4. */
    String contentType();

    /** The current metrics, in that format. */
    String scrape();

    /**
     * Where the HTTP API records its {@code http.server.requests} timer, so that {@link #scrape()} shows it; none
     * by default (an exposition made by hand has no registry).
     */
    default Optional<MeterRegistry> registry() {
        return Optional.empty();
    }
}
