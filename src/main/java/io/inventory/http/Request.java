package io.inventory.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a route handler sees of a request, read in full on the Jetty thread before the handler runs (perhaps on
 * another thread): decoded path parameters, decoded query parameters, headers (first value of each, names in any
 * case), and the body (empty when there was none; never more than {@link HttpApi#MAX_BODY_BYTES}).
 */
record Request(Map<String, String> pathParams, Map<String, String> query, Map<String, String> headers, byte[] body) {

    Request {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        final TreeMap<String, String> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        names.putAll(headers);
        headers = Collections.unmodifiableMap(names);
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
        return Optional.ofNullable(headers.get(name));
    }

    /**
     * The query string's parameters, always decoded as UTF-8, the first of repeated names winning. Malformed
     * percent-encoding is a 400 here, where Javalin's own query map would drop the parameter and the request would
     * go on without it (a listing would then start from the first product).
     */
    static Map<String, String> parseQuery(final String rawQuery) {
        final Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (final String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            final int equals = pair.indexOf('=');
            final String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            final String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** Fails with a 400 when {@code raw} has a {@code %} not followed by two hex digits. */
    static void checkPercentEncoding(final String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw malformed();
            }
        }
    }

    private static String decode(final String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static HttpError malformed() {
        return new HttpError(400, "malformed percent-encoding in the request URI");
    }
}
