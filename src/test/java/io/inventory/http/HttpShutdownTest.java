package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.command.CommandOutcome;
import io.inventory.command.Commands;
import io.inventory.command.PreparedCommand;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
    void shouldLetAWriteInFlightFinishAndRefuseNewRequestsWhileClosing() throws Exception {
        // given: a write waiting for its outcome
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final HttpApi api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        final FakeStateAccess access = new FakeStateAccess(host);
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host)), new Commands() {
            @Override
            public CommandOutcome send(final PreparedCommand command, final Duration wait)
                throws InterruptedException {
                entered.countDown();
                release.await(30, TimeUnit.SECONDS);
                return new CommandOutcome.Pending(command.commandId());
            }

            @Override
            public Optional<CommandOutcome> outcome(final String commandId) {
                return Optional.empty();
            }
        }, Duration.ofSeconds(30), BearerAuth.NONE, Optional.empty()));
        final HttpClient writer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final CompletableFuture<HttpResponse<String>> write = writer.sendAsync(
            HttpRequest.newBuilder(uri(api, "/inventory/p-1/adjustments")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":1}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        // when: the API closes
        final Thread closing = started(api::close);

        // then: a new request on an open connection is refused with the API's error and a Retry-After
        HttpResponse<String> probe;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        do {
            probe = client.send(HttpRequest.newBuilder(uri(api, "/health/live")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        } while (probe.statusCode() == 200 && System.nanoTime() < deadline);
        assertThat(probe.statusCode()).as(probe.body()).isEqualTo(503);
        assertThat(probe.headers().firstValue("Retry-After")).contains("2");
        assertThat(HttpTestClient.json(probe).get("error").asText()).contains("shutting down");

        // and the write in flight still gets its own answer, after which the API is closed
        assertThat(write).isNotDone();
        release.countDown();
        assertThat(write.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        closing.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closing.isAlive()).isFalse();
    }

    private static Thread started(final Runnable body) {
        final Thread thread = new Thread(body, "http-shutdown-test");
        thread.start();
        return thread;
    }

    private static URI uri(final HttpApi api, final String path) {
        return URI.create("http://localhost:" + api.port() + path);
    }
}
