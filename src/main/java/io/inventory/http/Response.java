package io.inventory.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.query.QueryResult;
import io.inventory.serde.Json;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** A complete response, serialized before anything is sent so that a failure can still become a 500. */
record Response(int status, byte[] body, Map<String, String> headers) {

    Response {
        headers = Map.copyOf(headers);
    }

    static Response json(final int status, final Object value) {
        try {
            return new Response(status, Json.MAPPER.writeValueAsBytes(value), Map.of());
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the response body", e);
        }
    }

    static Response error(final int status, final String message) {
        return json(status, new ErrorBody(message, status));
    }

    /** 200 with the value found, 404 or 503 with {@code Retry-After}. */
    static Response of(final QueryResult<?> result) {
        if (result instanceof QueryResult.FoundLocally<?> local) {
            return json(200, local.value());
        }
        if (result instanceof QueryResult.FoundRemotely<?> remote) {
            return json(200, remote.value());
        }
        if (result instanceof QueryResult.FoundStale<?> stale) {
            final ObjectNode body = Json.MAPPER.valueToTree(stale.value());
            body.put("stale", true).put("offsetLag", stale.offsetLag()).put("servedBy", stale.servedBy());
            return json(200, body);
        }
        if (result instanceof QueryResult.NotFound<?> notFound) {
            return error(404, notFound.message());
        }
        final QueryResult.Unavailable<?> unavailable = (QueryResult.Unavailable<?>) result;
        return unavailable(unavailable.reason(), unavailable.retryAfterSeconds());
    }

    static Response unavailable(final String reason, final int retryAfterSeconds) {
        return error(503, reason).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    Response withHeader(final String name, final String value) {
        final Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new Response(status, body, more);
    }

    /** The body of every error response. */
    record ErrorBody(String error, int status) {
    }
}
