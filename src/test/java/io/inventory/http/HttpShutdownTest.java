package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * Closing the API (SIGTERM) while requests are in flight: each gets its own answer or a 503, never Jetty's error
 * body under a worker's status. The fault suite once read {@code 200 {"error":"the connection broke while
 * answering; retry","status":503}} from an instance that was stopping.
 */
class HttpShutdownTest {

    private static final int ROUNDS = 10;
    private static final int CLIENTS = 16;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswerEveryReadInFlightWithItsOwnStatusOrA503WhileTheApiCloses() throws Exception {
        final List<String> wrong = new CopyOnWriteArrayList<>();
        final AtomicLong products = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        for (int round = 0; round < ROUNDS; round++) {
            final HttpApi api = HttpApi.bind(0);
            final HostInfo host = new HostInfo("localhost", api.port());
            final FakeStateAccess access = new FakeStateAccess(host);
            access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
            api.serve(new InventoryQueries(access, host, new HttpPeerClient(host)));
            final URI uri = URI.create("http://localhost:" + api.port() + "/inventory/p-1");
            final AtomicBoolean running = new AtomicBoolean(true);
            final List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // Client reads run on the workers, as in production.
                readers.add(started(() -> {
                    while (running.get()) {
                        final HttpResponse<String> response;
                        try {
                            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        } catch (final IOException e) {
                            continue; // cut off or refused: no answer to judge
                        } catch (final InterruptedException e) {
                            return;
                        }
                        if (response.statusCode() == 200 && response.body().contains("\"onHand\"")) {
                            products.incrementAndGet();
                        } else if (response.statusCode() == 503 && response.body().contains("\"error\"")) {
                            refused.incrementAndGet();
                        } else {
                            wrong.add(response.statusCode() + " " + response.body());
                        }
                    }
                }));
            }
            Thread.sleep(300);
            api.close();
            running.set(false);
            for (final Thread reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(15));
            }
        }
        System.out.printf("shutdown: %d rounds, %d products read, %d refused while closing%n", ROUNDS,
            products.get(), refused.get());
        assertThat(wrong).isEmpty();
        assertThat(products.get()).isPositive();
    }

    @Test
    void shouldLetAWriteInFlightFinishWithItsOwnAnswerWhileRefusingNewConnections() throws Exception {
        // given: a write waiting for its outcome
        final BlockingCommands blocking = new BlockingCommands();
        final HttpApi api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        final FakeStateAccess access = new FakeStateAccess(host);
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host)), blocking,
            Duration.ofSeconds(30), BearerAuth.NONE, Optional.empty()));
        final int port = api.port();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            final String body = "{\"delta\":1}";
            socket.getOutputStream().write(("POST /inventory/p-1/adjustments HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(blocking.awaitWaiting(1, 10)).isTrue();

            // when: the API closes while the write waits, and takes no new connection
            final Thread closing = started(api::close);
            awaitRefusingConnections(port);
            assertThat(closing.isAlive()).as("close() waits for the write").isTrue();
            blocking.release();

            // then: the write in flight still gets its own answer, and its connection is closed after it
            final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 202").containsIgnoringCase("Connection: close")
                .contains("\"outcome\":\"pending\"");

            // and the API is closed
            closing.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(closing.isAlive()).isFalse();
        }
    }

    /** Closing has begun once the port takes no new connection. */
    private static void awaitRefusingConnections(final int port) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("localhost", port)) {
                Thread.sleep(10);
            } catch (final IOException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still takes connections 10 s after close()");
    }

    private static Thread started(final Runnable body) {
        final Thread thread = new Thread(body, "http-shutdown-test");
        thread.start();
        return thread;
    }
}
