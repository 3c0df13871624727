package io.inventory.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.inventory.command.Commands;
import io.inventory.config.ServiceConfig;
import io.inventory.query.Consistency;
import io.inventory.query.InventoryQueries;
import io.inventory.query.Readiness;
import io.inventory.query.RequestOrigin;
import io.inventory.query.StateAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API, on the JDK's {@link HttpServer}. Every response is JSON; every error is
 * {@code {"error": "...", "status": N}}, never a stack trace.
 *
 * <pre>
 * GET /health/live                     200 {"status":"UP"}
 * GET /health/ready                    200 {"status":"UP"}, or 503 with the reason
 * GET /inventory?limit=N&amp;after=ID      200 {"items":[product...],"next":ID|null}; limit 1..1000, default 100
 * GET /inventory/{productId}           200 product, 404, 503 + Retry-After
 * GET /orders/{orderId}                200 order, 404, 503 + Retry-After
 * GET /internal/inventory?limit&amp;after  200 {"items":[...],"servedBy":...}: this instance's slice, for the listing
 * POST /inventory                      201 created, 409/422 rejected, 202 pending (see {@link CommandRoutes})
 * PUT /inventory/{productId}           200 updated, 404/409/422 rejected, 202 pending
 * DELETE /inventory/{productId}        200 deleted, 404/409 rejected, 202 pending
 * POST /inventory/{productId}/adjustments  200 updated, 404/409/422 rejected, 202 pending
 * GET /commands/{commandId}            200 outcome, 202 pending, 404 unknown here
 * GET /metrics                         Prometheus text format
 * </pre>
 *
 * Reads of one key take {@code ?stale=true} to accept a lagging copy (a standby, or a store being restored) when
 * the owner cannot answer; the answer then says {@code "stale": true} and its {@code offsetLag}.
 *
 * A request carrying {@value #FORWARDED_BY} comes from another instance and is answered from local stores only.
 * Ids are 1 to {@value #MAX_ID_LENGTH} characters, not blank; bodies over {@value #MAX_BODY_BYTES} bytes are refused.
 */
public final class HttpApi implements AutoCloseable {

    public static final String FORWARDED_BY = "X-Forwarded-By";
    public static final int MAX_ID_LENGTH = 200;
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** How much of an oversized body is read and dropped so that its sender still gets the 413. */
    static final int DRAIN_BYTES = 1024 * 1024;

    static final String INVENTORY_PATH = "/inventory";
    static final String ORDERS_PATH = "/orders";
    static final String INTERNAL_INVENTORY_PATH = "/internal/inventory";
    static final String COMMANDS_PATH = "/commands";
    /** A request header with the meaning of {@code ?stale=true}. */
    public static final String ALLOW_STALE = "X-Allow-Stale";

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Handlers block on peers while forwarding; a few more threads than cores keep the server responsive. */
    private static final int THREADS = 16;
    private static final Map<String, String> UP = Map.of("status", "UP");

    static {
        // The JDK server writes a response's headers and body as separate packets; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK, about 40 ms per response and twice that when forwarded.
        // The server reads this property once, when its first instance is created; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // A client that takes longer than this to send its request (headers and body) is cut off, so slow clients
        // cannot hold the handler threads for ever. Seconds; read once, like nodelay.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean serving = new AtomicBoolean();

    private HttpApi(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} on all interfaces and serves the stores of {@code access}, reaching the other instances
     * over HTTP. {@code self} is this instance's {@code application.server}.
     */
    public static HttpApi start(final int port, final StateAccess access, final HostInfo self) throws IOException {
        return start(port, new InventoryQueries(access, self, new HttpPeerClient(self)));
    }

    /** Binds {@code port} on all interfaces and serves {@code queries}. */
    public static HttpApi start(final int port, final InventoryQueries queries) throws IOException {
        return bind(port).serve(queries);
    }

    /**
     * Binds {@code port} (0: any free port) without serving yet, so that the bound {@link #port()} can go into the
     * {@link InventoryQueries}' own address before {@link #serve}.
     */
    public static HttpApi bind(final int port) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        final ExecutorService executor = Executors.newFixedThreadPool(THREADS, threads());
        server.setExecutor(executor);
        return new HttpApi(server, executor);
    }

    /** Starts answering reads only, without authentication: writes answer 503. Once only. */
    public HttpApi serve(final InventoryQueries queries) {
        return serve(new Backends(queries, Commands.UNAVAILABLE, ServiceConfig.DEFAULT_WRITE_TIMEOUT, BearerAuth.NONE,
            Optional.empty()));
    }

    /** Starts answering requests; once only. */
    public HttpApi serve(final Backends backends) {
        if (!serving.compareAndSet(false, true)) {
            throw new IllegalStateException("the HTTP API is already serving");
        }
        server.createContext("/", new Dispatcher(routes(backends)));
        server.start();
        LOG.info("HTTP API listening on port {}, serving as {}", port(),
            InventoryQueries.endpoint(backends.queries().self()));
        return this;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once: requests in flight are cut off, which suits a shutdown that closes Kafka Streams next. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (final InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Every route of the API. */
    static Router routes(final Backends backends) {
        final InventoryQueries queries = backends.queries();
        final BearerAuth auth = backends.auth();
        final CommandRoutes writes = new CommandRoutes(backends.commands(), backends.writeTimeout());
        return new Router()
            .get("/health/live", request -> Response.json(200, UP))
            .get("/health/ready", request -> ready(queries.readiness()))
            .get("/metrics", request -> metrics(backends.metrics()))
            .get(INVENTORY_PATH, read(auth, request -> Response.of(queries.products(
                limit(request, InventoryQueries.MAX_PAGE_SIZE), after(request).orElse(null)))))
            .get(INVENTORY_PATH + "/{productId}", read(auth, request -> Response.of(queries.product(
                id(request, "productId"), origin(request), consistency(request)))))
            .get(ORDERS_PATH + "/{orderId}", read(auth, request -> Response.of(queries.order(
                id(request, "orderId"), origin(request), consistency(request)))))
            .get(INTERNAL_INVENTORY_PATH, read(auth, request -> Response.of(queries.localInventorySlice(
                limit(request, InventoryQueries.MAX_SLICE_SIZE), after(request).orElse(null)))))
            .post(INVENTORY_PATH, write(auth, request -> writes.create(request)))
            .put(INVENTORY_PATH + "/{productId}", write(auth, request -> writes.update(request,
                id(request, "productId"))))
            .delete(INVENTORY_PATH + "/{productId}", write(auth, request -> writes.delete(request,
                id(request, "productId"))))
            .post(INVENTORY_PATH + "/{productId}/adjustments", write(auth, request -> writes.adjust(request,
                id(request, "productId"))))
            .get(COMMANDS_PATH + "/{commandId}", read(auth, request -> writes.outcome(id(request, "commandId"))));
    }

    private static Router.Handler read(final BearerAuth auth, final Router.Handler handler) {
        return request -> {
            auth.requireForRead(request);
            return handler.handle(request);
        };
    }

    private static Router.Handler write(final BearerAuth auth, final Router.Handler handler) {
        return request -> {
            auth.requireForWrite(request);
            return handler.handle(request);
        };
    }

    private static Response metrics(final Optional<MetricsEndpoint> metrics) {
        if (metrics.isEmpty()) {
            return Response.error(404, "metrics are not enabled on this instance");
        }
        return new Response(200, metrics.get().scrape().getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", metrics.get().contentType()));
    }

    /** {@code ?stale=true} (or the {@value #ALLOW_STALE} header) lets a read come from a lagging copy. */
    private static Consistency consistency(final Request request) {
        final Optional<String> value = request.queryParam("stale").or(() -> request.header(ALLOW_STALE));
        if (value.isEmpty()) {
            return Consistency.LATEST;
        }
        return switch (value.get().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Consistency.STALE_ALLOWED;
            case "false" -> Consistency.LATEST;
            default -> throw new HttpError(400, "stale must be true or false");
        };
    }

    private static Response ready(final Readiness readiness) {
        return readiness.ready()
            ? Response.json(200, UP)
            : Response.unavailable("not ready: " + readiness.reason(), InventoryQueries.RETRY_AFTER_SECONDS);
    }

    private static RequestOrigin origin(final Request request) {
        return request.header(FORWARDED_BY).isPresent() ? RequestOrigin.PEER : RequestOrigin.CLIENT;
    }

    private static String id(final Request request, final String name) {
        final String id = request.pathParam(name);
        checkId(name, id);
        return id;
    }

    private static Optional<String> after(final Request request) {
        final Optional<String> after = request.queryParam("after");
        after.ifPresent(id -> checkId("after", id));
        return after;
    }

    private static void checkId(final String name, final String id) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw new HttpError(400, name + " must be 1 to " + MAX_ID_LENGTH + " characters and not blank");
        }
    }

    private static int limit(final Request request, final int max) {
        final Optional<String> raw = request.queryParam("limit");
        if (raw.isEmpty()) {
            return InventoryQueries.DEFAULT_PAGE_SIZE;
        }
        try {
            final int limit = Integer.parseInt(raw.get());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (final NumberFormatException e) {
            // answered below, like an integer out of range
        }
        throw new HttpError(400, "limit must be an integer from 1 to " + max);
    }

    private static ThreadFactory threads() {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "http-" + count.incrementAndGet());
            // Never keeps the JVM alive by itself; the shutdown hook closes the API anyway.
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Turns every request into exactly one complete JSON response, whatever the handler does. */
    private static final class Dispatcher implements HttpHandler {

        private final Router router;

        Dispatcher(final Router router) {
            this.router = router;
        }

        @Override
        public void handle(final HttpExchange exchange) {
            try (exchange) {
                send(exchange, respond(exchange));
            } catch (final IOException e) {
                // The client went away while the response was written: nobody is left to tell.
                LOG.debug("could not send the response to {}: {}", exchange.getRemoteAddress(), e.getMessage());
            }
        }

        private Response respond(final HttpExchange exchange) {
            final String method = exchange.getRequestMethod();
            try {
                final byte[] body = readBody(exchange);
                return router.dispatch(method, exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
            } catch (final HttpError e) {
                final Response error = Response.error(e.status(), e.getMessage());
                return e.status() == 401 ? error.withHeader("WWW-Authenticate", "Bearer") : error;
            } catch (final Exception e) {
                LOG.error("unexpected error answering {} {}", method, exchange.getRequestURI().getRawPath(), e);
                return Response.error(500, "internal error");
            }
        }

        /**
         * The body. One declared far over the limit is refused before it is read; any other over the limit is
         * refused once the limit is passed, after reading and dropping the rest (see {@link #drain}).
         */
        private static byte[] readBody(final HttpExchange exchange) {
            final String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            if (declared != null) {
                try {
                    // Too large to be worth reading even to drop it; a smaller excess is read and dropped below.
                    if (Long.parseLong(declared.trim()) > MAX_BODY_BYTES + DRAIN_BYTES) {
                        throw tooLarge();
                    }
                } catch (final NumberFormatException e) {
                    throw new HttpError(400, "invalid Content-Length");
                }
            }
            try (InputStream in = exchange.getRequestBody()) {
                final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    drain(in);
                    throw tooLarge();
                }
                return body;
            } catch (final IOException e) {
                // Shorter than its Content-Length, or broken chunked encoding: the client's fault, not ours.
                throw new HttpError(400, "the request body could not be read (truncated or malformed encoding)");
            }
        }

        /**
         * Reads and drops the rest of an oversized body, up to {@value #DRAIN_BYTES} bytes: a connection closed with
         * unread bytes is reset, and the client would lose the 413 with it. Beyond that the client gets the reset.
         */
        private static void drain(final InputStream in) throws IOException {
            final byte[] buffer = new byte[8192];
            long drained = 0;
            int read;
            while (drained < DRAIN_BYTES && (read = in.read(buffer)) >= 0) {
                drained += read;
            }
        }

        private static HttpError tooLarge() {
            return new HttpError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }

        private static void send(final HttpExchange exchange, final Response response) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            if ("HEAD".equals(exchange.getRequestMethod())) {
                // A HEAD response has no body; the JDK server warns when a length is given.
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(response.status(), response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }
}
