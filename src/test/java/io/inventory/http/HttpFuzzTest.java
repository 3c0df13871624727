package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.command.CommandOutcome;
import io.inventory.command.Commands;
import io.inventory.command.PreparedCommand;
import io.inventory.config.Secret;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import io.inventory.serde.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded random requests over raw sockets: methods, paths (traversal, percent-encoding, unicode, very long),
 * query strings, headers (huge, duplicated, bad lengths), bodies (malformed, oversized, truncated). Every answer
 * must be a 2xx or 4xx JSON response without a trace of an exception, never a 5xx, and the server must keep
 * answering normal requests; the answers Jetty gives before Javalin runs (a request line, a header or a
 * Content-Length it cannot parse) are JSON too. The one 5xx allowed is Jetty's 505 for a request line whose version
 * is not HTTP/1.x ({@code HTTP/9}, {@code HTTPS/1.1}): the status HTTP prescribes, counted.
 * {@code -Dfuzz.http.requests=N}, {@code -Dfuzz.http.seed=S} to replay.
 */
class HttpFuzzTest {

    private static final String TOKEN = "fuzz-token";
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE",
        "CONNECT", "get", "G\u00c9T", "", "X".repeat(300)};
    private static final String[] PATHS = {"/inventory", "/inventory/p-1", "/inventory/p-1/adjustments",
        "/orders/o-1", "/commands/c-1", "/health/live", "/health/ready", "/metrics", "/internal/inventory",
        "/inventory/../../etc/passwd", "/inventory/%2e%2e%2f%2e%2e", "/inventory/%zz", "/inventory/%00",
        "/inventory/%C0%AF", "/inventory/\u00e9\u00e8", "/inventory/" + "a".repeat(5000), "//inventory//p-1",
        "/inventory/p-1/", "/inventory/p-1/adjustments/x", "*", "http://evil/inventory/p-1", "/inventory?limit=",
        "/inventory?limit=-1", "/inventory?limit=99999999999", "/inventory?after=%ff", "/inventory?limit=1&limit=2",
        "/inventory/p-1?stale=maybe", "/inventory/p-1?stale=true", "/%", "/inventory/%20", "/\u0000"};
    private static final String[] BODIES = {"", "{", "{}", "[]", "null", "\"x\"", "{\"delta\":5}",
        "{\"delta\":\"5\"}", "{\"delta\":1e400}", "{\"delta\":-99999999999999999999999}", "[".repeat(10_000),
        "{\"a\":".repeat(5000), "{\"productId\":\"p-9\",\"title\":\"t\",\"brand\":\"b\",\"quantity\":1,\"price\":1,"
            + "\"currency\":\"EUR\"}", "{\"title\":\"\\ud800\"}", "{\"quantity\":1}garbage", "\u0000\u0001\u0002",
        "{\"price\":-0.01}"};

    private HttpApi api;
    private int port;

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.bind(0);
        port = api.port();
        final HostInfo host = new HostInfo("localhost", port);
        final FakeStateAccess access = new FakeStateAccess(host);
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        access.put(QueryableStore.ORDERS, "o-1", Fixtures.reservedOrder("o-1"));
        final Commands commands = new Commands() {
            @Override
            public CommandOutcome send(final PreparedCommand command, final Duration wait) {
                return new CommandOutcome.Applied(command.commandId(), "updated", "InventoryItemUpdatedEvent",
                    Json.MAPPER.createObjectNode().put("aggregateId", command.productId()));
            }

            @Override
            public Optional<CommandOutcome> outcome(final String commandId) {
                return Optional.empty();
            }
        };
        api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host)), commands,
            Duration.ofMillis(100), new BearerAuth(Optional.of(Secret.of(TOKEN)), false), Optional.empty()));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldAnswerEveryRandomRequestWithoutA5xxAndKeepServing() throws IOException {
        final long seed = Long.getLong("fuzz.http.seed", System.nanoTime());
        final int requests = Integer.getInteger("fuzz.http.requests", 600);
        final Random random = new Random(seed);
        final TreeMap<Integer, Integer> statuses = new TreeMap<>();
        final List<String> violations = new ArrayList<>();
        int closedWithoutAnswer = 0;
        int unsupportedVersion = 0;
        for (int i = 0; i < requests; i++) {
            final byte[] request = request(random);
            final Answer answer = send(request);
            if (answer.status() < 0) {
                closedWithoutAnswer++;
                continue;
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            final String requestLine = new String(request, StandardCharsets.UTF_8).split("\r\n", 2)[0];
            if (answer.status() == 505 && !requestLine.endsWith(" HTTP/1.1") && !requestLine.endsWith(" HTTP/1.0")) {
                unsupportedVersion++;
            } else if (answer.status() >= 500) {
                violations.add(answer.status() + " for " + preview(request) + " -> " + preview(answer.body()));
                continue;
            }
            if (!answer.body().isEmpty() && !answer.body().startsWith("{")
                || answer.body().contains("Exception") || answer.body().contains("\tat ")) {
                violations.add(answer.status() + " for " + preview(request) + " -> " + preview(answer.body()));
            }
        }
        System.out.printf("http fuzz: seed=%d requests=%d statuses=%s closedWithoutAnswer=%d "
            + "unsupportedVersion=%d%n", seed, requests, statuses, closedWithoutAnswer, unsupportedVersion);
        assertThat(violations).as("seed %d", seed).isEmpty();
        // Still serving normal requests afterwards.
        final Answer live = send("GET /inventory/p-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.UTF_8));
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).contains("\"available\":5");
    }

    @Test
    void shouldAnswer400ForATruncatedOrBrokenBody() throws IOException {
        // Found by the random run above: both used to be a 500.
        final Answer truncated = send(("POST /inventory/p-1/adjustments HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 50\r\n\r\n{\"delta\":1}")
            .getBytes(StandardCharsets.UTF_8));
        final Answer brokenChunks = send(("GET /inventory/p-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}").getBytes(StandardCharsets.UTF_8));

        for (final Answer answer : List.of(truncated, brokenChunks)) {
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).startsWith("{\"error\":\"the request body could not be read");
        }
    }

    @Test
    void shouldAnswerAGarbageRequestLineWithA400JsonError() throws IOException {
        final Answer garbage = send("GARBAGE\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        final Answer noVersion = send("GET /inventory/p-1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        final Answer controlCharacters = send("GET /inv\u0001entory HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.UTF_8));

        assertJsonError(garbage, 400);
        assertJsonError(controlCharacters, 400);
        // A request line without a version is HTTP/0.9, which Jetty refuses as a version it does not support.
        assertJsonError(noVersion, 505);
    }

    @Test
    void shouldAnswerABadContentLengthWithA400JsonError() throws IOException {
        for (final String length : List.of("abc", "-1", "99999999999999999999", "5, 6")) {
            final Answer answer = send(("POST /inventory/p-1/adjustments HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: " + length + "\r\n\r\n{\"delta\":1}")
                .getBytes(StandardCharsets.UTF_8));

            assertJsonError(answer, 400);
        }
    }

    @Test
    void shouldAnswerOversizedHeadersWithA431JsonError() throws IOException {
        final Answer oneHuge = send(("GET /inventory/p-1 HTTP/1.1\r\nHost: x\r\nX-Big: "
            + "h".repeat(HttpApi.MAX_HEADER_BYTES) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        final StringBuilder many = new StringBuilder("PUT /inventory/p-1 HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 500; i++) {
            many.append("X-Header-").append(i).append(": value\r\n");
        }
        final Answer manySmall = send(many.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));

        assertJsonError(oneHuge, 431);
        assertJsonError(manySmall, 431);
    }

    @Test
    void shouldAnswerAnOversizedBodyWithA413JsonErrorOnAnyPath() throws IOException {
        final String body = "x".repeat(HttpApi.MAX_BODY_BYTES + 1);
        final Answer declared = send(("POST /inventory/p-1/adjustments HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer " + TOKEN + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
            .getBytes(StandardCharsets.UTF_8));
        final Answer chunked = send(("PUT /inventory/p-1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        final Answer unknownPath = send(("GET /nope HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
            + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));

        for (final Answer answer : List.of(declared, chunked, unknownPath)) {
            assertJsonError(answer, 413);
            assertThat(answer.body()).contains("larger than " + HttpApi.MAX_BODY_BYTES + " bytes");
        }
    }

    @Test
    void shouldKeepServingWhileSlowClientsTrickleTheirRequests() throws Exception {
        final List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                final Socket socket = new Socket("localhost", port);
                socket.getOutputStream().write("POST /inventory/p-1/adjustments HTTP/1.1\r\nHost: x\r\n"
                    .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            for (int i = 0; i < 20; i++) {
                final Answer answer = send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
                assertThat(answer.status()).isEqualTo(200);
            }
        } finally {
            for (final Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** A complete JSON error: the status, a JSON Content-Type and the API's error body. */
    private static void assertJsonError(final Answer answer, final int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers()).containsIgnoringCase("Content-Type: application/json");
        final JsonNode body;
        try {
            body = Json.MAPPER.readTree(answer.body());
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + answer.body(), e);
        }
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank().doesNotContain("Exception");
    }

    private static byte[] request(final Random random) {
        final String method = pick(random, METHODS);
        String path = pick(random, PATHS);
        if (random.nextInt(5) == 0) {
            path = path + (path.contains("?") ? "&" : "?") + randomText(random, random.nextInt(40));
        }
        final String version = random.nextInt(20) == 0 ? pick(random, new String[] {"HTTP/1.0", "HTTP/2.0",
            "HTTP/9", "", "HTTPS/1.1"}) : "HTTP/1.1";
        final String body = random.nextInt(30) == 0 ? "x".repeat(70_000) : pick(random, BODIES);
        final byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder head = new StringBuilder(method).append(' ').append(path).append(' ').append(version)
            .append("\r\nHost: localhost\r\nConnection: close\r\n");
        switch (random.nextInt(8)) {
            case 0 -> head.append("Content-Length: ").append(pick(random, new String[] {"-1", "abc",
                "99999999999999999999", String.valueOf(bodyBytes.length + 10)})).append("\r\n");
            case 1 -> head.append("Transfer-Encoding: chunked\r\n");
            case 2 -> head.append("X-Big: ").append("h".repeat(20_000)).append("\r\n");
            default -> head.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        }
        switch (random.nextInt(6)) {
            case 0 -> head.append("Authorization: Bearer ").append(TOKEN).append("\r\n");
            case 1 -> head.append("Authorization: Bearer ").append(randomText(random, 30)).append("\r\n");
            case 2 -> head.append("Idempotency-Key: ").append(randomText(random, random.nextInt(300))).append("\r\n");
            case 3 -> head.append("X-Forwarded-By: somewhere:1\r\nX-Allow-Stale: ")
                .append(randomText(random, 5)).append("\r\n");
            default -> { }
        }
        head.append("\r\n");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bodyBytes);
        return out.toByteArray();
    }

    private static String randomText(final Random random, final int length) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(switch (random.nextInt(4)) {
                case 0 -> (char) ('a' + random.nextInt(26));
                case 1 -> "%" + Integer.toHexString(random.nextInt(256));
                case 2 -> "\u00e9\ud83d\ude00=&/".charAt(random.nextInt(6));
                default -> (char) ('0' + random.nextInt(10));
            });
        }
        return text.toString().replace("\r", "").replace("\n", "");
    }

    private static String pick(final Random random, final String[] options) {
        return options[random.nextInt(options.length)];
    }

    /** The status, headers and body of the server's answer; status -1 when the server closed without answering. */
    private record Answer(int status, String headers, String body) {
    }

    private Answer send(final byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (final IOException e) {
                // The server may close early (a refused oversized body); its answer may still be readable.
            }
            final InputStream in = socket.getInputStream();
            final byte[] response;
            try {
                response = in.readNBytes(1_000_000);
            } catch (final SocketTimeoutException e) {
                throw new AssertionError("no answer within 10 s to " + preview(request), e);
            } catch (final IOException e) {
                return new Answer(-1, "", "");
            }
            final String text = new String(response, StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Answer(-1, "", text);
            }
            final int status = Integer.parseInt(text.substring(9, 12));
            final int bodyStart = text.indexOf("\r\n\r\n");
            return bodyStart < 0 ? new Answer(status, text, "")
                : new Answer(status, text.substring(0, bodyStart), text.substring(bodyStart + 4));
        }
    }

    private static String preview(final byte[] bytes) {
        return preview(new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8));
    }

    private static String preview(final String text) {
        final String flat = text.replace("\r\n", "\\r\\n");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
