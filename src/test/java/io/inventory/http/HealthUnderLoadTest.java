package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes that wait (as they do for up to {@code HTTP_WRITE_TIMEOUT} when the topology is slow) never hold up the
 * health probes, the metrics or a peer's local read: those answer on Jetty's threads while every worker is busy.
 */
class HealthUnderLoadTest {

    /** More than the JDK server's 16 threads had, and more than the workers: some wait in the queue. */
    private static final int WAITING_WRITES = HttpApi.WORKER_THREADS * 2;

    private final BlockingCommands blocking = new BlockingCommands();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<CompletableFuture<HttpResponse<String>>> writes = new ArrayList<>();
    private HttpApi api;

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        final FakeStateAccess access = new FakeStateAccess(host);
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host)), blocking,
            Duration.ofSeconds(30), BearerAuth.NONE, Optional.empty()));
    }

    @AfterEach
    void stop() {
        blocking.release();
        writes.forEach(write -> write.cancel(true));
        api.close();
    }

    @Test
    void shouldAnswerLivenessReadinessAndPeerReadsWhileEveryWorkerWaitsOnAWrite() throws Exception {
        // given: every worker waits for a write's outcome, and more writes are queued behind them
        for (int i = 0; i < WAITING_WRITES; i++) {
            writes.add(adjust());
        }
        assertThat(blocking.awaitWaiting(HttpApi.WORKER_THREADS, 20))
            .as("all %d workers busy", HttpApi.WORKER_THREADS).isTrue();

        // when / then: the probes and a peer's local read answer at once
        for (final String path : List.of("/health/live", "/health/ready", "/health/live")) {
            assertAnswersQuickly(HttpRequest.newBuilder(uri(path)), 200);
        }
        assertAnswersQuickly(HttpRequest.newBuilder(uri("/inventory/p-1")).header(HttpApi.FORWARDED_BY,
            "localhost:1"), 200);
        assertThat(writes).noneMatch(CompletableFuture::isDone);

        // and the writes still get their answers once the outcome comes
        blocking.release();
        for (final CompletableFuture<HttpResponse<String>> write : writes) {
            assertThat(write.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void shouldAnswer503WhenEveryWorkerIsBusyAndTheQueueIsFull() throws Exception {
        // given: more writes than the workers and their queue hold
        final int overflow = 10;
        for (int i = 0; i < HttpApi.WORKER_THREADS + HttpApi.WORKER_QUEUE + overflow; i++) {
            writes.add(adjust());
        }

        // when: the ones that found no room are answered at once
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (writes.stream().filter(CompletableFuture::isDone).count() < overflow && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        // then: with the API's error and a Retry-After, while liveness still answers
        final List<HttpResponse<String>> answered = writes.stream().filter(CompletableFuture::isDone)
            .map(CompletableFuture::join).toList();
        assertThat(answered).hasSize(overflow).allSatisfy(refused -> {
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(HttpTestClient.json(refused).get("error").asText()).contains("busy");
        });
        assertAnswersQuickly(HttpRequest.newBuilder(uri("/health/live")), 200);
        blocking.release();
        assertThat(writes.get(0).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }

    private CompletableFuture<HttpResponse<String>> adjust() {
        return client.sendAsync(HttpRequest.newBuilder(uri("/inventory/p-1/adjustments"))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":1}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertAnswersQuickly(final HttpRequest.Builder request, final int status) throws Exception {
        final long started = System.nanoTime();
        final HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        // Generous for a loaded 2-core machine; a probe queued behind the writes would wait 30 s.
        assertThat(millis).as("%s answered in %d ms", response.uri(), millis).isLessThan(2_000);
    }

    private URI uri(final String path) {
        return URI.create("http://localhost:" + api.port() + path);
    }
}
