package io.inventory.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JDK {@link HttpClient} aimed at one test server. */
final class HttpTestClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final int port;

    HttpTestClient(final int port) {
        this.port = port;
    }

    HttpResponse<String> get(final String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    HttpResponse<String> send(final String method, final String pathAndQuery,
                              final HttpRequest.BodyPublisher body) {
        return send(request(pathAndQuery).method(method, body).build());
    }

    HttpRequest.Builder request(final String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> send(final HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(final HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (final IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
