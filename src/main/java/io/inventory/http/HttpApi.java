package io.inventory.http;

import io.inventory.command.Commands;
import io.inventory.config.ServiceConfig;
import io.inventory.domain.Limits;
import io.inventory.query.Consistency;
import io.inventory.query.InventoryQueries;
import io.inventory.query.Readiness;
import io.inventory.query.RequestOrigin;
import io.inventory.query.StateAccess;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.util.MethodNotAllowedUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API: Javalin 7 on Jetty 12. Every response is JSON; every error is
 * {@code {"error": "...", "status": N}}, never a stack trace, including the errors Jetty raises itself
 * ({@link JsonErrors}).
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
 * <p>Threads. Jetty's request threads ({@value #REQUEST_THREADS} at most) parse requests, read bodies and run the
 * handlers that answer at once: health, metrics, local reads, command lookups. Handlers that may wait, for a
 * write's outcome (up to {@code HTTP_WRITE_TIMEOUT}) or for another instance (a forward, the listing), run on a
 * separate pool of {@value #WORKER_THREADS} workers through Javalin's asynchronous requests; when all are busy
 * and {@value #WORKER_QUEUE} more wait, further ones get a 503. So a liveness probe never queues behind them.
 *
 * <p>Limits are Jetty's and Javalin's: a connection idle for {@link #IDLE_TIMEOUT} (mid-request too) is closed,
 * request headers over {@value #MAX_HEADER_BYTES} bytes get a 431, bodies over {@value #MAX_BODY_BYTES} bytes a
 * 413. A request carrying {@value #FORWARDED_BY} comes from another instance and is answered from local stores
 * only. Ids are 1 to {@value Limits#MAX_ID_LENGTH} characters, not blank.
 */
public final class HttpApi implements AutoCloseable {

    public static final String FORWARDED_BY = "X-Forwarded-By";
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The request line and headers together; Jetty's default. */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** How long a connection may stay silent, while a request is sent or between requests, before it is closed. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long {@link #close()} lets requests in flight finish: a write waits for its outcome up to
     * {@code HTTP_WRITE_TIMEOUT} (5 s by default), a forward for its peer up to {@link HttpPeerClient#DEFAULT_TIMEOUT}.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    static final String INVENTORY_PATH = "/inventory";
    static final String ORDERS_PATH = "/orders";
    static final String INTERNAL_INVENTORY_PATH = "/internal/inventory";
    static final String COMMANDS_PATH = "/commands";
    /** A request header with the meaning of {@code ?stale=true}. */
    public static final String ALLOW_STALE = "X-Allow-Stale";

    /** Jetty's threads: its acceptor and selector take one each per core pair, the rest answer requests. */
    static final int REQUEST_THREADS = 48;
    /** Handlers that wait on Kafka or peers; twice what the JDK server had for everything. */
    static final int WORKER_THREADS = 32;
    static final int WORKER_QUEUE = 256;

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Map<String, String> UP = Map.of("status", "UP");
    /** As Jetty writes it, whatever spacing it is given. */
    private static final String JSON = "application/json;charset=utf-8";
    private static final String TOO_LARGE = "request body larger than " + MAX_BODY_BYTES + " bytes";
    /** Honoured by Javalin for routing unless refused: a POST could then reach a DELETE route past a proxy. */
    private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    private final Server server;
    private final ServerConnector connector;
    private final ThreadPoolExecutor workers;
    private final AtomicBoolean serving = new AtomicBoolean();
    private volatile Javalin javalin;

    private HttpApi(final Server server, final ServerConnector connector) {
        this.server = server;
        this.connector = connector;
        this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WORKER_QUEUE), threads("http-worker-"), new ThreadPoolExecutor.AbortPolicy());
        this.workers.allowCoreThreadTimeOut(true);
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
     * {@link InventoryQueries}' own address before {@link #serve}. Connections wait in the backlog until then.
     */
    public static HttpApi bind(final int port) throws IOException {
        final QueuedThreadPool threads = new QueuedThreadPool(REQUEST_THREADS, 4);
        threads.setName("http");
        // Never keeps the JVM alive by itself; the shutdown hook closes the API anyway.
        threads.setDaemon(true);
        final Server server = new Server(threads);
        server.setErrorHandler(JsonErrors.forServer());
        // Javalin puts its servlet context inside: see close().
        server.setHandler(new Draining());
        final HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        // As Javalin's own default: an encoded '/' (%2F) or '..' stays in its path segment, so that an id holding
        // one reaches its route and is decoded there, instead of being refused by Jetty as ambiguous.
        http.setUriCompliance(UriCompliance.LEGACY);
        final ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        // Binds now (Jetty's start would otherwise), so that port 0 has its number before serve().
        connector.open();
        return new HttpApi(server, connector);
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
        final List<Route> routes = routes(backends);
        final Optional<RequestMetrics> metrics = backends.metrics().flatMap(MetricsEndpoint::registry)
            .map(RequestMetrics::new);
        javalin = Javalin.create(config -> configure(config, routes, backends.auth(), metrics));
        javalin.start();
        LOG.info("HTTP API listening on port {}, serving as {}", port(),
            InventoryQueries.endpoint(backends.queries().self()));
        return this;
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Stops answering. New requests get a 503 (with {@code Retry-After}) and requests in flight get up to
     * {@link #SHUTDOWN_GRACE} to finish as they would have; then workers still waiting are interrupted and answer
     * 503 themselves, and only then are the connections closed. Closing a connection while a worker writes its
     * response would let Jetty's error answer and the worker's race for one response: the fault suite saw a 200
     * carrying Jetty's error body.
     */
    @Override
    public void close() {
        try {
            if (javalin != null) {
                drain();
                javalin.stop();
            }
        } finally {
            // Unbinds a port that was bound but never served, too.
            connector.close();
            workers.shutdownNow();
        }
    }

    private void drain() {
        final Future<Void> drained = Graceful.shutdown(server);
        try {
            if (!finished(drained, SHUTDOWN_GRACE)) {
                LOG.warn("HTTP requests still in flight after {}: the ones waiting are answered 503", SHUTDOWN_GRACE);
            }
            workers.shutdownNow();
            if (workers.awaitTermination(1, TimeUnit.SECONDS)) {
                // The interrupted workers' answers, handed to Jetty, are written before the connections close.
                finished(drained, Duration.ofSeconds(1));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean finished(final Future<Void> drained, final Duration wait) throws InterruptedException {
        try {
            drained.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (final TimeoutException e) {
            return false;
        } catch (final ExecutionException e) {
            LOG.warn("HTTP shutdown: {}", e.getCause().toString());
            return false;
        }
    }

    /**
     * Counts requests until their response is complete, asynchronous ones too, and refuses new ones once closing
     * (Jetty's own refusal, should closing begin between the check here and Jetty's, is a 503 too).
     */
    private static final class Draining extends GracefulHandler {

        @Override
        public boolean handle(final org.eclipse.jetty.server.Request request,
                              final org.eclipse.jetty.server.Response response, final Callback callback)
            throws Exception {
            if (!isShutdown()) {
                return super.handle(request, response, callback);
            }
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(InventoryQueries.RETRY_AFTER_SECONDS));
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            org.eclipse.jetty.server.Response.writeError(request, response, callback,
                HttpStatus.SERVICE_UNAVAILABLE_503, "the server is shutting down");
            return true;
        }
    }


    /** Every route of the API. */
    static List<Route> routes(final Backends backends) {
        final InventoryQueries queries = backends.queries();
        final CommandRoutes writes = new CommandRoutes(backends.commands(), backends.writeTimeout());
        return List.of(
            Route.get("/health/live", Route.Access.OPEN, Route.Execution.INLINE, request -> Response.json(200, UP)),
            Route.get("/health/ready", Route.Access.OPEN, Route.Execution.INLINE,
                request -> ready(queries.readiness())),
            Route.get("/metrics", Route.Access.OPEN, Route.Execution.INLINE, request -> metrics(backends.metrics())),
            // The listing asks every instance for its slice.
            Route.get(INVENTORY_PATH, Route.Access.READ, Route.Execution.WORKER, request -> Response.of(
                queries.products(limit(request, InventoryQueries.MAX_PAGE_SIZE), after(request).orElse(null)))),
            Route.get(INVENTORY_PATH + "/{productId}", Route.Access.READ, Route.Execution.WORKER_UNLESS_FROM_PEER,
                request -> Response.of(queries.product(id(request, "productId"), origin(request),
                    consistency(request)))),
            Route.get(ORDERS_PATH + "/{orderId}", Route.Access.READ, Route.Execution.WORKER_UNLESS_FROM_PEER,
                request -> Response.of(queries.order(id(request, "orderId"), origin(request),
                    consistency(request)))),
            Route.get(INTERNAL_INVENTORY_PATH, Route.Access.READ, Route.Execution.INLINE,
                request -> Response.of(queries.localInventorySlice(limit(request, InventoryQueries.MAX_SLICE_SIZE),
                    after(request).orElse(null)))),
            new Route(HandlerType.POST, INVENTORY_PATH, Route.Access.WRITE, Route.Execution.WORKER, writes::create),
            new Route(HandlerType.PUT, INVENTORY_PATH + "/{productId}", Route.Access.WRITE, Route.Execution.WORKER,
                request -> writes.update(request, id(request, "productId"))),
            new Route(HandlerType.DELETE, INVENTORY_PATH + "/{productId}", Route.Access.WRITE,
                Route.Execution.WORKER, request -> writes.delete(request, id(request, "productId"))),
            new Route(HandlerType.POST, INVENTORY_PATH + "/{productId}/adjustments", Route.Access.WRITE,
                Route.Execution.WORKER, request -> writes.adjust(request, id(request, "productId"))),
            Route.get(COMMANDS_PATH + "/{commandId}", Route.Access.READ, Route.Execution.INLINE,
                request -> writes.outcome(id(request, "commandId"))));
    }

    private void configure(final JavalinConfig config, final List<Route> routes, final BearerAuth auth,
                           final Optional<RequestMetrics> metrics) {
        // Our server, with the connector bound in bind(); Javalin adds its servlet context to it.
        config.unsafe.jettyInternal.server = server;
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(JsonErrors.forServletContext()));
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.http.maxRequestSize = MAX_BODY_BYTES;
        config.http.prefer405over404 = true;
        // Strict paths: "/inventory/p-1/" is no route, as "/inventory/" is not the listing.
        config.router.ignoreTrailingSlashes = false;
        final JavalinState state = config.unsafe;
        config.routes.before(ctx -> checkRequest(ctx, state));
        for (final Route route : routes) {
            config.routes.addHttpHandler(route.method(), route.path(), ctx -> handle(route, auth, ctx));
        }
        config.routes.exception(HttpError.class, (error, ctx) -> write(ctx, error(error)));
        config.routes.exception(MethodNotAllowedResponse.class, (error, ctx) -> write(ctx, notAllowed(ctx, error)));
        config.routes.exception(HttpResponseException.class, (error, ctx) -> write(ctx, switch (error.getStatus()) {
            case 404 -> Response.error(404, "no route for " + truncate(ctx.req().getMethod()) + " "
                + truncate(ctx.path()));
            case 413 -> tooLarge();
            default -> Response.error(error.getStatus(), error.getMessage());
        }));
        config.routes.exception(Exception.class, (error, ctx) -> {
            LOG.error("unexpected error answering {} {}", ctx.req().getMethod(), truncate(ctx.path()), error);
            write(ctx, Response.error(500, "internal error"));
        });
        metrics.ifPresent(timer -> config.requestLogger.http(timer::record));
    }

    /** Before routing, for every request. */
    private static void checkRequest(final Context ctx, final JavalinState state) {
        if (ctx.header(METHOD_OVERRIDE) != null) {
            throw new HttpError(400, METHOD_OVERRIDE + " is not supported");
        }
        // Javalin decodes path parameters and would fail on these with an exception of its own.
        Request.checkPercentEncoding(ctx.path());
        // Read (and kept by Javalin) before routing, so that an oversized or broken body is a 413 or 400 on any
        // path, as the API documents, and every route sees a body it can trust.
        body(ctx);
        if (HandlerType.HEAD.equals(ctx.method())) {
            // Javalin answers HEAD on a GET route with an empty 200 without running the route, whether the
            // product exists or not; no route here answers HEAD.
            final List<HandlerType> allowed = MethodNotAllowedUtil.INSTANCE.findAvailableHttpHandlerTypes(
                state.internalRouter, ctx.path());
            throw new MethodNotAllowedResponse("", Map.of("availableMethods",
                allowed.stream().map(HandlerType::name).collect(Collectors.joining(", "))));
        }
    }

    private void handle(final Route route, final BearerAuth auth, final Context ctx) {
        final Request request = read(ctx);
        if (!route.onWorker(request)) {
            write(ctx, respond(route, auth, request));
            return;
        }
        // The supplier runs once Javalin has made the request asynchronous, and the Jetty thread returns at once.
        ctx.future(() -> {
            try {
                return CompletableFuture.supplyAsync(() -> respond(route, auth, request), workers)
                    .thenAccept(response -> write(ctx, response));
            } catch (final RejectedExecutionException e) {
                write(ctx, Response.unavailable("the server is busy: " + WORKER_THREADS + " requests are waiting "
                    + "and " + WORKER_QUEUE + " more are queued", InventoryQueries.RETRY_AFTER_SECONDS));
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    /** The whole request; its body was read on the Jetty thread by {@link #checkRequest}. */
    private static Request read(final Context ctx) {
        return new Request(ctx.pathParamMap(), Request.parseQuery(ctx.queryString()), ctx.headerMap(), body(ctx));
    }

    /** The body, read once up to Javalin's {@code maxRequestSize}, then kept by Javalin for the request. */
    private static byte[] body(final Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (final HttpResponseException e) {
            throw e.getStatus() == 413 ? new HttpError(413, TOO_LARGE) : e;
        } catch (final Exception e) {
            // Javalin is Kotlin: the stream's IOException is not declared.
            if (e instanceof IOException) {
                // Shorter than its Content-Length, or broken chunked encoding: the client's fault, not ours.
                throw new HttpError(400, "the request body could not be read (truncated or malformed encoding)");
            }
            throw e;
        }
    }

    /** Runs the route: exactly one complete response, whatever the handler does. */
    private static Response respond(final Route route, final BearerAuth auth, final Request request) {
        try {
            switch (route.access()) {
                case OPEN -> { }
                case READ -> auth.requireForRead(request);
                case WRITE -> auth.requireForWrite(request);
            }
            return route.handler().handle(request);
        } catch (final HttpError e) {
            return error(e);
        } catch (final InterruptedException e) {
            // Only close() interrupts a worker: the server is going away.
            Thread.currentThread().interrupt();
            return Response.unavailable("the server is shutting down", InventoryQueries.RETRY_AFTER_SECONDS);
        } catch (final Exception e) {
            LOG.error("unexpected error answering {}", route.describe(), e);
            return Response.error(500, "internal error");
        }
    }

    private static void write(final Context ctx, final Response response) {
        ctx.status(response.status());
        ctx.contentType(JSON);
        response.headers().forEach(ctx::header);
        ctx.result(response.body());
    }

    private static Response error(final HttpError e) {
        final Response error = Response.error(e.status(), e.getMessage());
        return e.status() == 401 ? error.withHeader("WWW-Authenticate", "Bearer") : error;
    }

    private static Response tooLarge() {
        return Response.error(413, TOO_LARGE);
    }

    /** A 405 naming the path's methods, sorted; a path with none is a 404. */
    private static Response notAllowed(final Context ctx, final MethodNotAllowedResponse e) {
        final String listed = e.getDetails().getOrDefault("availableMethods",
            e.getDetails().getOrDefault("Available methods", ""));
        final String allowed = Arrays.stream(listed.split(","))
            .map(String::trim).filter(method -> !method.isEmpty()).sorted().collect(Collectors.joining(", "));
        if (allowed.isEmpty()) {
            return Response.error(404, "no route for " + truncate(ctx.req().getMethod()) + " " + truncate(ctx.path()));
        }
        return Response.error(405, "method " + truncate(ctx.req().getMethod()) + " is not allowed here")
            .withHeader("Allow", allowed);
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
        if (id.isBlank() || id.length() > Limits.MAX_ID_LENGTH) {
            throw new HttpError(400, name + " must be 1 to " + Limits.MAX_ID_LENGTH + " characters and not blank");
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

    /** Echoes at most a short prefix of what the client sent. */
    private static String truncate(final String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    private static ThreadFactory threads(final String prefix) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
