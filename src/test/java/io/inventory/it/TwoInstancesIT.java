package io.inventory.it;

import static io.inventory.it.Wire.on;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.app.InventoryService;
import io.inventory.config.ServiceConfig;
import io.inventory.domain.ProductState;
import io.inventory.serde.Json;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances share one application id; one is stopped mid-stream (closed, its state directory kept) and
 * restarted while orders keep arriving. Afterwards every order has exactly one outcome, nothing is reserved
 * twice, and every product's stock adds up.
 */
class TwoInstancesIT {

    private static final int PRODUCTS = 6;
    private static final int ORDERS = 60;
    private static final long STOCK = 20;
    private static EmbeddedKafka kafka;
    private static Path work;

    @BeforeAll
    static void startBroker() {
        work = Path.of("target", "it", "two-" + UUID.randomUUID());
        kafka = EmbeddedKafka.start(work.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static InventoryService instance(final String name) throws InterruptedException {
        final InventoryService service = InventoryService.start(ServiceConfig.from(Map.of(
            "KAFKA_BROKERS", kafka.bootstrapServers(),
            "KAFKA_CLIENT_ID", name,
            "APPLICATION_ID", "two-instances-it",
            "STATE_DIR", work.resolve(name).toString(),
            "HTTP_PORT", "0",
            "ADVERTISED_HOST", "127.0.0.1")));
        service.awaitRunning(Duration.ofSeconds(90));
        return service;
    }

    @Test
    void shouldLoseAndDoubleNothingWhenAnInstanceStopsAndRestarts() throws InterruptedException {
        final InventoryService first = instance("instance-a");
        InventoryService second = instance("instance-b");
        try (Wire wire = new Wire(kafka.bootstrapServers())) {
            for (int p = 0; p < PRODUCTS; p++) {
                wire.send(Topics.INVENTORY_COMMANDS, "two-p" + p, Fixtures.createItem("two-p" + p, STOCK));
            }
            final Random random = new Random(42);
            final Map<String, Set<String>> linesByOrder = new HashMap<>();
            for (int o = 0; o < ORDERS; o++) {
                final Map<String, Integer> lines = new TreeMap<>();
                final int count = 1 + random.nextInt(3);
                for (int l = 0; l < count; l++) {
                    lines.put("two-p" + random.nextInt(PRODUCTS), 1 + random.nextInt(3));
                }
                final String orderId = "two-o" + o;
                linesByOrder.put(orderId, lines.keySet());
                wire.send(Topics.ORDER_CREATED, orderId, Fixtures.order(orderId, lines));
                if (o == 20) {
                    second.close();
                }
                if (o == 40) {
                    second = instance("instance-b");
                }
                Thread.sleep(20);
            }

            final var events = wire.awaitUntil(all -> linesByOrder.entrySet().stream().allMatch(order ->
                hasOutcome(all, order.getKey(), order.getValue())), Duration.ofSeconds(120));
            final var settled = wire.settle(Duration.ofSeconds(3));

            final Map<String, Long> reservedByProduct = new TreeMap<>();
            for (final var order : linesByOrder.entrySet()) {
                final List<Wire.Event> reserved = on(settled, Topics.INVENTORY_RESERVED,
                    e -> e.text("orderId").equals(order.getKey()));
                final List<Wire.Event> failed = on(settled, Topics.INVENTORY_RESERVATION_FAILED,
                    e -> e.text("orderId").equals(order.getKey()));
                final Set<String> reservedProducts = reserved.stream().map(Wire.Event::key)
                    .collect(Collectors.toSet());
                assertThat(reserved).as("no product reserved twice for %s", order.getKey())
                    .hasSize(reservedProducts.size());
                if (failed.isEmpty()) {
                    assertThat(reservedProducts).as("all lines of %s", order.getKey()).isEqualTo(order.getValue());
                } else {
                    assertThat(reserved).as("nothing reserved for failed %s", order.getKey()).isEmpty();
                }
                reserved.forEach(e -> reservedByProduct.merge(e.key(), e.number("quantity"), Long::sum));
            }
            assertThat(events).isNotEmpty();
            for (int p = 0; p < PRODUCTS; p++) {
                final String productId = "two-p" + p;
                final ProductState state = lookup(productId, first, second);
                assertThat(state.available()).as("available of %s", productId).isGreaterThanOrEqualTo(0);
                assertThat(state.held()).as("held of %s", productId).isZero();
                assertThat(state.onHand()).isEqualTo(STOCK).isEqualTo(state.available() + state.reserved());
                assertThat(state.reserved()).as("reserved of %s matches its events", productId)
                    .isEqualTo(reservedByProduct.getOrDefault(productId, 0L));
                for (final InventoryService instance : List.of(first, second)) {
                    final JsonNode answer = httpGet(instance, "/inventory/" + productId);
                    assertThat(answer.get("available").asLong()).as("HTTP available of %s", productId)
                        .isEqualTo(state.available());
                    assertThat(answer.get("reserved").asLong()).isEqualTo(state.reserved());
                    assertThat(answer.get("onHand").asLong()).isEqualTo(STOCK);
                }
            }
        } finally {
            second.close();
            first.close();
        }
    }

    /** Any instance answers for any product: locally, or by forwarding to the owner. */
    private static JsonNode httpGet(final InventoryService instance, final String path) {
        try {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + instance.endpoint().port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s -> %s", path, response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasOutcome(final List<Wire.Event> events, final String orderId, final Set<String> lines) {
        return !on(events, Topics.INVENTORY_RESERVATION_FAILED, e -> e.text("orderId").equals(orderId)).isEmpty()
            || on(events, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals(orderId)).size() >= lines.size();
    }

    /** Reads a product from whichever instance hosts it. */
    private static ProductState lookup(final String productId, final InventoryService... instances) {
        for (final InventoryService instance : instances) {
            final ReadOnlyKeyValueStore<String, ProductState> store = instance.streams().store(
                StoreQueryParameters.fromNameAndType(Topics.INVENTORY_STORE,
                    QueryableStoreTypes.<String, ProductState>keyValueStore()));
            final ProductState state = store.get(productId);
            if (state != null) {
                return state;
            }
        }
        throw new AssertionError("no instance hosts " + productId);
    }
}
