package io.inventory.http;

import com.sun.net.httpserver.Headers;
import java.util.Map;
import java.util.Optional;

/**
 * What a route handler sees of a request: decoded path parameters, decoded query parameters, headers, and the body
 * (empty when there was none; never more than {@link HttpApi#MAX_BODY_BYTES}).
 */
record Request(Map<String, String> pathParams, Map<String, String> query, Headers headers, byte[] body) {

    Request {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
    }

    String pathParam(final String name) {
        final String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("no path parameter " + name);
        }
        return value;
    }

    /** A query parameter; an empty value counts as absent. */
    Optional<String> queryParam(final String name) {
        return Optional.ofNullable(query.get(name)).filter(value -> !value.isEmpty());
    }

    Optional<String> header(final String name) {
        return Optional.ofNullable(headers.getFirst(name));
    }
}
