package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.domain.Limits;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import io.inventory.query.StateAccess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    private FakeStateAccess access;
    private HttpApi api;
    private HttpTestClient http;
    private String self;

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        self = "localhost:" + api.port();
        access = new FakeStateAccess(host);
        api.serve(new InventoryQueries(access, host, new HttpPeerClient(host)));
        http = new HttpTestClient(api.port());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldAnswerLiveness() {
        final HttpResponse<String> response = http.get("/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        assertThat(HttpTestClient.json(response).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void shouldBeReadyWhenRunningAndStoresAnswer() {
        final HttpResponse<String> response = http.get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(response).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void shouldNotBeReadyWhileRestoring() {
        access.state(KafkaStreams.State.REBALANCING);

        final HttpResponse<String> response = http.get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(HttpTestClient.json(response).get("error").asText()).contains("REBALANCING");
    }

    @Test
    void shouldNotBeReadyWhileAStoreIsNotQueryable() {
        access.unqueryable(QueryableStore.INVENTORY);

        final HttpResponse<String> response = http.get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(HttpTestClient.json(response).get("error").asText()).contains("inventory");
    }

    @Test
    void shouldServeAProductWithItsStockFigures() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));

        final HttpResponse<String> response = http.get("/inventory/p-1");

        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("productId").asText()).isEqualTo("p-1");
        assertThat(body.get("title").asText()).isEqualTo("Trail shoe p-1");
        assertThat(body.get("brand").asText()).isEqualTo("Acme");
        assertThat(body.get("price").decimalValue()).isEqualByComparingTo("89.90");
        assertThat(body.get("currency").asText()).isEqualTo("EUR");
        assertThat(body.get("onHand").asLong()).isEqualTo(10);
        assertThat(body.get("reserved").asLong()).isEqualTo(3);
        assertThat(body.get("held").asLong()).isEqualTo(2);
        assertThat(body.get("available").asLong()).isEqualTo(5);
        assertThat(body.get("servedBy").asText()).isEqualTo(self);
    }

    @Test
    void shouldDecodePercentEncodedIds() {
        access.put(QueryableStore.INVENTORY, "a/b c+d", Fixtures.product("a/b c+d"));

        final HttpResponse<String> response = http.get("/inventory/a%2Fb%20c+d");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(response).get("productId").asText()).isEqualTo("a/b c+d");
    }

    @Test
    void shouldAnswer404ForAnAbsentProduct() {
        final HttpResponse<String> response = http.get("/inventory/p-404");

        assertError(response, 404);
    }

    @Test
    void shouldAnswer404ForADeletedProduct() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.deleted("p-1"));

        assertError(http.get("/inventory/p-1"), 404);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileRebalancing() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1")).state(KafkaStreams.State.REBALANCING);

        final HttpResponse<String> response = http.get("/inventory/p-1");

        assertError(response, 503);
        assertThat(response.headers().firstValue("Retry-After"))
            .hasValue(Integer.toString(InventoryQueries.RETRY_AFTER_SECONDS));
        assertThat(HttpTestClient.json(response).get("error").asText()).contains("REBALANCING");
    }

    @Test
    void shouldAnswer503WhenTheOwnerIsUnknown() {
        access.owners((store, key) -> KeyQueryMetadata.NOT_AVAILABLE);

        final HttpResponse<String> response = http.get("/orders/o-1");

        assertError(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void shouldServeAPendingOrder() {
        access.put(QueryableStore.ORDERS, "o-1", Fixtures.pendingOrder("o-1"));

        final HttpResponse<String> response = http.get("/orders/o-1");

        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("orderId").asText()).isEqualTo("o-1");
        assertThat(body.get("status").asText()).isEqualTo("PENDING");
        assertThat(body.get("servedBy").asText()).isEqualTo(self);
    }

    @Test
    void shouldServeTheHoldsOfAReservedOrder() {
        access.put(QueryableStore.ORDERS, "o-1", Fixtures.reservedOrder("o-1"));

        final JsonNode body = HttpTestClient.json(http.get("/orders/o-1"));

        assertThat(body.get("status").asText()).isEqualTo("RESERVED");
        assertThat(body.get("held").get("p-1").asLong()).isEqualTo(2);
        assertThat(body.get("held").get("p-2").asLong()).isEqualTo(1);
    }

    @Test
    void shouldAnswer404ForAnAbsentOrder() {
        assertError(http.get("/orders/o-404"), 404);
    }

    @Test
    void shouldListProductsPageByPage() {
        for (final String id : List.of("p-3", "p-1", "p-2")) {
            access.put(QueryableStore.INVENTORY, id, Fixtures.product(id));
        }

        final JsonNode first = HttpTestClient.json(http.get("/inventory?limit=2"));
        final JsonNode second = HttpTestClient.json(http.get("/inventory?limit=2&after=" + first.get("next").asText()));

        assertThat(ids(first)).containsExactly("p-1", "p-2");
        assertThat(first.get("next").asText()).isEqualTo("p-2");
        assertThat(ids(second)).containsExactly("p-3");
        assertThat(second.has("next")).isTrue();
        assertThat(second.get("next").isNull()).isTrue();
    }

    @Test
    void shouldListAHundredProductsByDefault() {
        for (int i = 0; i < 150; i++) {
            final String id = String.format("p-%03d", i);
            access.put(QueryableStore.INVENTORY, id, Fixtures.product(id));
        }

        final JsonNode page = HttpTestClient.json(http.get("/inventory"));

        assertThat(ids(page)).hasSize(InventoryQueries.DEFAULT_PAGE_SIZE);
        assertThat(page.get("next").asText()).isEqualTo("p-099");
    }

    @Test
    void shouldRejectALimitOutOfRangeOrNotANumber() {
        for (final String limit : List.of("0", "-1", "1001", "abc", "1.5", "99999999999")) {
            assertError(http.get("/inventory?limit=" + limit), 400);
        }
        assertThat(http.get("/inventory?limit=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRejectBlankAndOverlongIds() {
        assertError(http.get("/inventory/%20%20"), 400);
        // No id segment at all: no route (Javalin's matching), where a blank one is a bad id.
        assertError(http.get("/inventory/"), 404);
        assertError(http.get("/orders/" + "x".repeat(Limits.MAX_ID_LENGTH + 1)), 400);
        assertError(http.get("/inventory?after=" + "x".repeat(Limits.MAX_ID_LENGTH + 1)), 400);
        assertError(http.get("/inventory/" + "x".repeat(Limits.MAX_ID_LENGTH)), 404);
    }

    @Test
    void shouldAnswer404ForAnUnknownRoute() {
        assertError(http.get("/nope"), 404);
        assertError(http.get("/inventory/p-1/extra"), 404);
    }

    @Test
    void shouldAnswer405WithAllowForAnotherMethod() {
        final HttpResponse<String> post = http.send("POST", "/inventory/p-1",
            HttpRequest.BodyPublishers.ofString("{}"));
        final HttpResponse<String> delete = http.send("DELETE", "/health/live", HttpRequest.BodyPublishers.noBody());

        assertError(post, 405);
        assertThat(post.headers().firstValue("Allow")).hasValue("DELETE, GET, PUT");
        assertError(delete, 405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void shouldAnswer413ForABodyOverTheLimit() {
        final byte[] tooLarge = new byte[HttpApi.MAX_BODY_BYTES + 1];

        final HttpResponse<String> declared = http.send("POST", "/inventory/p-1",
            HttpRequest.BodyPublishers.ofByteArray(tooLarge));
        // Without a length the body arrives chunked and is measured while it is read.
        final HttpResponse<String> chunked = http.send("POST", "/inventory/p-1",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge)));

        assertError(declared, 413);
        assertError(chunked, 413);
    }

    @Test
    void shouldAnswer500WithoutRevealingTheCause() throws IOException {
        final HttpApi failing = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", failing.port());
        try (failing) {
            failing.serve(new InventoryQueries(new BrokenAccess(), host, new HttpPeerClient(host)));

            final HttpResponse<String> response = new HttpTestClient(failing.port()).get("/inventory/p-1");

            assertError(response, 500);
            assertThat(HttpTestClient.json(response).get("error").asText()).isEqualTo("internal error");
            assertThat(response.body()).doesNotContain("secret", "Exception", "at io.");
        }
    }

    @Test
    void shouldServeTheLocalSliceOnTheInternalRoute() {
        for (final String id : List.of("p-1", "p-2", "p-3")) {
            access.put(QueryableStore.INVENTORY, id, Fixtures.product(id));
        }

        final JsonNode slice = HttpTestClient.json(http.get("/internal/inventory?limit=2&after="
            + URLEncoder.encode("p-1", StandardCharsets.UTF_8)));

        assertThat(ids(slice)).containsExactly("p-2", "p-3");
        assertThat(slice.get("servedBy").asText()).isEqualTo(self);
    }

    @Test
    void shouldStopServingOnClose() {
        api.close();

        assertThatThrownBy(() -> http.get("/health/live")).isInstanceOf(UncheckedIOException.class);
    }

    private static void assertError(final HttpResponse<String> response, final int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        final JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isNotBlank();
    }

    private static List<String> ids(final JsonNode page) {
        final List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("productId").asText()));
        return ids;
    }

    /** A state access that fails as a bug would, with a message no client should see. */
    private static final class BrokenAccess implements StateAccess {

        @Override
        public KafkaStreams.State state() {
            throw new IllegalStateException("secret internal detail");
        }

        @Override
        public KeyQueryMetadata keyMetadata(final QueryableStore<?> store, final String key) {
            throw new IllegalStateException("secret internal detail");
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> localStore(final QueryableStore<V> store) {
            throw new IllegalStateException("secret internal detail");
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> localStore(final QueryableStore<V> store, final int partition) {
            throw new IllegalStateException("secret internal detail");
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> localStaleStore(final QueryableStore<V> store,
                                                                    final int partition) {
            throw new IllegalStateException("secret internal detail");
        }

        @Override
        public java.util.OptionalLong offsetLag(final QueryableStore<?> store, final int partition) {
            throw new IllegalStateException("secret internal detail");
        }

        @Override
        public List<HostInfo> activeHosts(final QueryableStore<?> store) {
            throw new IllegalStateException("secret internal detail");
        }
    }
}
