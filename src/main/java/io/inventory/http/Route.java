package io.inventory.http;

import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One route of the API: its method and path template (Javalin's, {@code /inventory/{productId}}), who may call it,
 * where it runs, and what answers it. {@link HttpApi#routes} lists them all; Javalin does the matching.
 */
record Route(HandlerType method, String path, Access access, Execution execution, Handler handler) {

    /** Handles one matched request; an {@link HttpError} becomes its JSON error, any other exception a 500. */
    @FunctionalInterface
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** Which requests need the bearer token, when one is configured. */
    enum Access {
        /** Never: health probes and scrapers must get through. */
        OPEN,
        /** Only with {@code HTTP_AUTH_READS=true}. */
        READ,
        /** Always. */
        WRITE
    }

    /** Which threads run the handler. */
    enum Execution {
        /** Answers from memory or a local store at once: on the Jetty thread that read the request. */
        INLINE,
        /** May wait for Kafka (a write's outcome) or for other instances (the listing): on the worker pool. */
        WORKER,
        /**
         * A key read. A client's may be forwarded to the owner and wait for it: on the worker pool. A peer's is
         * answered from local stores only: inline, so that two instances forwarding to each other never wait for
         * each other's workers.
         */
        WORKER_UNLESS_FROM_PEER
    }

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(handler, "handler");
    }

    static Route get(final String path, final Access access, final Execution execution, final Handler handler) {
        return new Route(HandlerType.GET, path, access, execution, handler);
    }

    /** {@code METHOD /path}, as {@code openapi.yaml} names it. */
    String describe() {
        return method.name() + " " + path;
    }

    boolean onWorker(final Request request) {
        return switch (execution) {
            case INLINE -> false;
            case WORKER -> true;
            case WORKER_UNLESS_FROM_PEER -> request.header(HttpApi.FORWARDED_BY).isEmpty();
        };
    }
}
