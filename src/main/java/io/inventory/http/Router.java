package io.inventory.http;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Matches a method and a path against the routes: {@code /inventory/{productId}} matches one path segment per
 * {@code {name}}, percent-decoded. A path no route matches is a 404; a path matched only for other methods is a
 * 405 that lists them in {@code Allow}.
 */
final class Router {

    /** Handles one matched request; exceptions other than {@link HttpError} become a 500. */
    @FunctionalInterface
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    private record Route(String method, List<String> segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router get(final String pattern, final Handler handler) {
        return route("GET", pattern, handler);
    }

    Router post(final String pattern, final Handler handler) {
        return route("POST", pattern, handler);
    }

    Router put(final String pattern, final Handler handler) {
        return route("PUT", pattern, handler);
    }

    Router delete(final String pattern, final Handler handler) {
        return route("DELETE", pattern, handler);
    }

    private Router route(final String method, final String pattern, final Handler handler) {
        routes.add(new Route(method, segments(pattern), handler));
        return this;
    }

    /** Every route as {@code METHOD /pattern}, in the order added; for documentation checks. */
    List<String> describe() {
        return routes.stream().map(route -> route.method() + " /" + String.join("/", route.segments())).toList();
    }

    Response dispatch(final String method, final String rawPath, final String rawQuery, final Headers headers,
                      final byte[] body) throws Exception {
        // An opaque request target ("OPTIONS *" aside) has no path; it matches no route.
        final List<String> path = segments(rawPath == null ? "" : rawPath);
        final TreeSet<String> allowed = new TreeSet<>();
        for (final Route route : routes) {
            final Optional<Map<String, String>> params = match(route.segments(), path);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return route.handler().handle(new Request(params.get(), query(rawQuery), headers, body));
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw new HttpError(404, "no route for " + truncate(method) + " " + truncate(String.valueOf(rawPath)));
        }
        return Response.error(405, "method " + truncate(method) + " is not allowed here")
            .withHeader("Allow", String.join(", ", allowed));
    }

    private static Optional<Map<String, String>> match(final List<String> pattern, final List<String> path) {
        if (pattern.size() != path.size()) {
            return Optional.empty();
        }
        final Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            final String expected = pattern.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                params.put(expected.substring(1, expected.length() - 1), decodePathSegment(path.get(i)));
            } else if (!expected.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** Splits after the leading slash and keeps empty segments, so that {@code /inventory/} has a blank id. */
    private static List<String> segments(final String path) {
        final String relative = path.startsWith("/") ? path.substring(1) : path;
        return List.of(relative.split("/", -1));
    }

    private static Map<String, String> query(final String rawQuery) {
        final Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (final String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            final int equals = pair.indexOf('=');
            final String name = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
            final String value = equals < 0 ? "" : decodeQuery(pair.substring(equals + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decodePathSegment(final String raw) {
        // In a path '+' is a plus sign; URLDecoder would read it as a space.
        return decodeQuery(raw.replace("+", "%2B"));
    }

    private static String decodeQuery(final String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            throw new HttpError(400, "malformed percent-encoding in the request URI");
        }
    }

    /** Echoes at most a short prefix of what the client sent. */
    private static String truncate(final String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
