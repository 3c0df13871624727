package io.inventory.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.util.concurrent.TimeUnit;

/**
 * The {@code http.server.requests} timer (Prometheus: {@code http_server_requests_seconds}), the name and tags
 * Spring and Micrometer's own HTTP instrumentation use: {@code method}, {@code uri} (the route template, e.g.
 * {@code /inventory/{productId}}, so that ids do not make a series each; {@code NOT_FOUND} when no route matched,
 * {@code UNKNOWN} when none matched and the answer is another error, a 405 say), {@code status} and
 * {@code outcome} ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}...). Javalin has
 * no Micrometer plugin for version 7, so it is recorded here, from Javalin's request logger, which runs once per
 * request that reached Javalin, after its response (a handler on the worker pool included). Requests Jetty refuses
 * before Javalin (a request line it cannot parse) are not counted.
 */
final class RequestMetrics {

    static final String NAME = "http.server.requests";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String UNKNOWN = "UNKNOWN";

    private final MeterRegistry registry;

    RequestMetrics(final MeterRegistry registry) {
        this.registry = registry;
    }

    /** A {@code RequestLogger}: Javalin measures from the start of its handling to the response written. */
    void record(final Context ctx, final Float executionTimeMs) {
        final Endpoint matched = ctx.endpoints().lastHttpEndpoint();
        final String template = matched == null ? null : matched.path;
        final int status = ctx.statusCode();
        Timer.builder(NAME)
            .description("HTTP requests answered by the API")
            .tag("method", knownMethod(ctx.req().getMethod()))
            .tag("uri", template == null || template.isEmpty() ? (status == 404 ? NOT_FOUND : UNKNOWN) : template)
            .tag("status", Integer.toString(status))
            .tag("outcome", Outcome.forStatus(status).name())
            .register(registry)
            .record((long) (executionTimeMs * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** A method a client made up would otherwise make a series of its own. */
    private static String knownMethod(final String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" -> method;
            default -> "other";
        };
    }
}
