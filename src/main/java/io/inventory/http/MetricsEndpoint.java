package io.inventory.http;

/** A metrics exposition, served as is by {@code GET /metrics}. */
public interface MetricsEndpoint {

    /** The response's {@code Content-Type}, e.g. Prometheus text format 0.0.4. */
    String contentType();

    /** The current metrics, in that format. */
    String scrape();
}
