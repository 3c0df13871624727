package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances in one JVM, each a server on its own port with its own fake Kafka Streams view. Four partitions:
 * instance A owns partitions 0 and 1, instance B owns 2 and 3, and each key lives in the store of its owner.
 */
class ClusterTest {

    private static final int PARTITIONS = 4;

    private Instance a;
    private Instance b;

    @BeforeEach
    void start() throws IOException {
        a = new Instance(HttpApi.bind(0));
        b = new Instance(HttpApi.bind(0));
        for (final Instance instance : List.of(a, b)) {
            instance.access.activeHosts(List.of(a.host, b.host))
                .owners((store, key) -> FakeStateAccess.owner(ownerOf(key).host, partitionOf(key)));
            instance.serve();
        }
    }

    @AfterEach
    void stop() {
        a.api.close();
        b.api.close();
    }

    @Test
    void shouldForwardAProductToItsOwnerAndSayWhoServedIt() {
        final String id = keyOwnedBy(b, 0);
        put(id);

        final HttpResponse<String> viaA = a.http.get("/inventory/" + id);
        final HttpResponse<String> viaB = b.http.get("/inventory/" + id);

        assertThat(viaA.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(viaA).get("servedBy").asText()).isEqualTo(b.endpoint());
        assertThat(HttpTestClient.json(viaA).get("available").asLong()).isEqualTo(5);
        assertThat(HttpTestClient.json(viaB)).isEqualTo(HttpTestClient.json(viaA));
    }

    @Test
    void shouldPassTheTokenOnWhenForwardingProtectedReads() throws IOException {
        stop();
        a = new Instance(HttpApi.bind(0));
        b = new Instance(HttpApi.bind(0));
        final Instance noToken = new Instance(HttpApi.bind(0));
        try {
            for (final Instance instance : List.of(a, b, noToken)) {
                instance.access.activeHosts(List.of(a.host, b.host))
                    .owners((store, key) -> FakeStateAccess.owner(ownerOf(key).host, partitionOf(key)));
            }
            a.serveProtected("cluster-token", java.util.Optional.of(io.inventory.config.Secret.of("cluster-token")));
            b.serveProtected("cluster-token", java.util.Optional.of(io.inventory.config.Secret.of("cluster-token")));
            // Misconfigured: checks the token but does not send it on.
            noToken.serveProtected("cluster-token", java.util.Optional.empty());
            final String id = keyOwnedBy(b, 0);
            put(id);

            final java.net.http.HttpRequest viaA = a.http.request("/inventory/" + id)
                .header("Authorization", "Bearer cluster-token").GET().build();
            final java.net.http.HttpRequest viaNoToken = noToken.http.request("/inventory/" + id)
                .header("Authorization", "Bearer cluster-token").GET().build();

            final HttpResponse<String> forwarded = a.http.send(viaA);
            assertThat(forwarded.statusCode()).isEqualTo(200);
            assertThat(HttpTestClient.json(forwarded).get("servedBy").asText()).isEqualTo(b.endpoint());
            assertThat(a.http.get("/inventory/" + id).statusCode()).isEqualTo(401);
            // The owner refuses the forward without a token; the client sees a 503, never the owner's 401.
            assertThat(noToken.http.send(viaNoToken).statusCode()).isEqualTo(503);
        } finally {
            noToken.api.close();
        }
    }

    @Test
    void shouldForwardIdsThatNeedEncoding() {
        final String id = keyOwnedBy(b, "a/b c+d?e&f=");
        put(id);

        final HttpResponse<String> response = a.http.get("/inventory/"
            + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(response).get("productId").asText()).isEqualTo(id);
    }

    @Test
    void shouldForwardAnOrderAndItsAbsence() {
        final String placed = keyOwnedBy(b, 1);
        b.access.put(QueryableStore.ORDERS, partitionOf(placed), placed, Fixtures.reservedOrder(placed));
        final String absent = keyOwnedBy(b, 2);

        final HttpResponse<String> found = a.http.get("/orders/" + placed);
        final HttpResponse<String> missing = a.http.get("/orders/" + absent);

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(found).get("status").asText()).isEqualTo("RESERVED");
        assertThat(HttpTestClient.json(found).get("servedBy").asText()).isEqualTo(b.endpoint());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(HttpTestClient.json(missing).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void shouldPassOnTheOwnersUnavailability() {
        final String id = keyOwnedBy(b, 0);
        put(id);
        b.access.state(KafkaStreams.State.REBALANCING);

        final HttpResponse<String> response = a.http.get("/inventory/" + id);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(HttpTestClient.json(response).get("error").asText()).contains(b.endpoint(), "REBALANCING");
    }

    @Test
    void shouldAnswer503WhenTheOwnerIsUnreachable() throws IOException {
        final HostInfo gone;
        try (ServerSocket socket = new ServerSocket(0)) {
            gone = new HostInfo("localhost", socket.getLocalPort());
        }
        a.access.owners((store, key) -> FakeStateAccess.owner(gone, 0));

        final HttpResponse<String> response = a.http.get("/inventory/p-1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void shouldNotForwardAgainWhenTheInstancesDisagreeOnTheOwner() {
        // While ownership moves, A believes B owns the key and B believes A does.
        a.access.owners((store, key) -> FakeStateAccess.owner(b.host, 0));
        b.access.owners((store, key) -> FakeStateAccess.owner(a.host, 0));

        final HttpResponse<String> response = a.http.get("/inventory/p-1");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(a.access.keyLookups()).isEqualTo(1);
        assertThat(b.access.keyLookups()).isEqualTo(1);
    }

    @Test
    void shouldListEveryItemExactlyOnceAcrossPagesAndInstances() {
        final TreeSet<String> all = new TreeSet<>();
        for (int i = 0; i < 57; i++) {
            final String id = "p-" + i;
            put(id);
            all.add(id);
        }
        final String deleted = keyOwnedBy(a, 999);
        a.access.put(QueryableStore.INVENTORY, partitionOf(deleted), deleted, Fixtures.deleted(deleted));

        for (final int limit : List.of(1, 5, 7, 56, 57, 1000)) {
            assertThat(listAll(a, limit)).as("limit %d via A", limit).containsExactlyElementsOf(all);
            assertThat(listAll(b, limit)).as("limit %d via B", limit).containsExactlyElementsOf(all);
        }
    }

    @Test
    void shouldSayWhichInstanceServedEachListedItem() {
        final String onA = keyOwnedBy(a, 0);
        final String onB = keyOwnedBy(b, 0);
        put(onA);
        put(onB);

        final JsonNode page = HttpTestClient.json(a.http.get("/inventory"));

        page.get("items").forEach(item -> assertThat(item.get("servedBy").asText())
            .isEqualTo(ownerOf(item.get("productId").asText()).endpoint()));
        assertThat(page.get("items")).hasSize(2);
    }

    @Test
    void shouldNotListAPartialPageWhenAnInstanceIsRebalancing() {
        put(keyOwnedBy(a, 0));
        put(keyOwnedBy(b, 0));
        b.access.state(KafkaStreams.State.REBALANCING);

        final HttpResponse<String> response = a.http.get("/inventory");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    /** Follows {@code next} to the end and returns every id in the order served. */
    private static List<String> listAll(final Instance via, final int limit) {
        final List<String> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; pages++) {
            final HttpResponse<String> response = via.http.get("/inventory?limit=" + limit
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            final JsonNode page = HttpTestClient.json(response);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            page.get("items").forEach(item -> ids.add(item.get("productId").asText()));
            if (page.get("next").isNull()) {
                return ids;
            }
            after = page.get("next").asText();
        }
        throw new AssertionError("the listing never ended");
    }

    private void put(final String id) {
        ownerOf(id).access.put(QueryableStore.INVENTORY, partitionOf(id), id, Fixtures.product(id));
    }

    private Instance ownerOf(final String key) {
        return partitionOf(key) < PARTITIONS / 2 ? a : b;
    }

    private static int partitionOf(final String key) {
        return Math.floorMod(key.hashCode(), PARTITIONS);
    }

    /** A key the given instance owns, derived from a seed so that tests stay readable. */
    private String keyOwnedBy(final Instance owner, final Object seed) {
        for (int i = 0; ; i++) {
            final String key = seed + "-" + i;
            if (ownerOf(key) == owner) {
                return key;
            }
        }
    }

    private static final class Instance {

        private final HttpApi api;
        private final HostInfo host;
        private final FakeStateAccess access;
        private final HttpTestClient http;

        Instance(final HttpApi api) {
            this.api = api;
            this.host = new HostInfo("localhost", api.port());
            this.access = new FakeStateAccess(host);
            this.http = new HttpTestClient(api.port());
        }

        void serve() {
            api.serve(new InventoryQueries(access, host, new HttpPeerClient(host)));
        }

        /** Reads need {@code token}; this instance sends {@code sent} when it forwards. */
        void serveProtected(final String token, final java.util.Optional<io.inventory.config.Secret> sent) {
            api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host,
                HttpPeerClient.DEFAULT_TIMEOUT, sent)), io.inventory.command.Commands.UNAVAILABLE,
                java.time.Duration.ofSeconds(1), new BearerAuth(java.util.Optional.of(
                    io.inventory.config.Secret.of(token)), true), java.util.Optional.empty()));
        }

        String endpoint() {
            return InventoryQueries.endpoint(host);
        }
    }
}
