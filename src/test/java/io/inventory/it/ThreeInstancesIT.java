package io.inventory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.app.InventoryService;
import io.inventory.config.ServiceConfig;
import io.inventory.serde.Json;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances with one application id and one standby replica, on a real broker, driven through the HTTP
 * API: items are created and changed with the write API (bearer token on), orders arrive on {@code order.created};
 * then every instance must answer every product with the expected stock, the listing must return every item once,
 * and while one instance dies (its HTTP server down, its partitions still assigned until the session times out)
 * every answer must be correct or an explicit 503, and reads that allow it come from the standby with their lag.
 */
class ThreeInstancesIT {

    private static final String TOKEN = "three-instances-token";
    private static final int PRODUCTS = 24;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EmbeddedKafka kafka;
    private static Path work;

    @BeforeAll
    static void startBroker() {
        work = Path.of("target", "it", "three-" + UUID.randomUUID());
        kafka = EmbeddedKafka.start(work.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static InventoryService instance(final String name) {
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", kafka.bootstrapServers());
        env.put("KAFKA_CLIENT_ID", name);
        env.put("APPLICATION_ID", "three-instances-it");
        env.put("STATE_DIR", work.resolve(name).toString());
        env.put("HTTP_PORT", "0");
        env.put("ADVERTISED_HOST", "127.0.0.1");
        env.put("TOPIC_PARTITIONS", "6");
        env.put("NUM_STANDBY_REPLICAS", "1");
        env.put("HTTP_AUTH_TOKEN", TOKEN);
        // Generous: a rebalance may pause processing; the 202 path is covered by WriteApiTest.
        env.put("HTTP_WRITE_TIMEOUT", "PT30S");
        // A dead instance keeps its partitions this long (the broker's minimum), then they move.
        env.put("STREAMS_SESSION_TIMEOUT_MS", "6000");
        return InventoryService.start(ServiceConfig.from(env));
    }

    @Test
    void shouldAnswerEveryProductFromEveryInstanceAndStayHonestWhenOneDies() throws Exception {
        final List<InventoryService> instances = new ArrayList<>(List.of(instance("node-a"), instance("node-b"),
            instance("node-c")));
        try (Wire wire = new Wire(kafka.bootstrapServers())) {
            awaitReady(instances);

            // Items through the write API, spread over the instances; expected stock follows from what is sent.
            final Map<String, Long> onHand = new TreeMap<>();
            for (int p = 0; p < PRODUCTS; p++) {
                final String productId = "three-p" + p;
                final long quantity = 10 + p;
                final HttpResponse<String> created = write(instances.get(p % 3), "POST", "/inventory",
                    "{\"productId\":\"" + productId + "\",\"title\":\"Item " + p + "\",\"brand\":\"IT\",\"quantity\":"
                        + quantity + ",\"price\":12.50,\"currency\":\"EUR\"}");
                assertThat(created.statusCode()).as("create %s: %s", productId, created.body()).isEqualTo(201);
                assertThat(json(created).get("item").get("quantity").asLong()).isEqualTo(quantity);
                onHand.put(productId, quantity);
            }
            final HttpResponse<String> again = write(instances.get(1), "POST", "/inventory",
                "{\"productId\":\"three-p0\",\"title\":\"x\",\"brand\":\"x\",\"quantity\":1,\"price\":1,"
                    + "\"currency\":\"EUR\"}");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(json(again).get("reason").asText()).isEqualTo("PRODUCT_EXISTS");
            assertThat(write(instances.get(2), "POST", "/inventory/three-p1/adjustments", "{\"delta\":5}")
                .statusCode()).isEqualTo(200);
            onHand.merge("three-p1", 5L, Long::sum);
            final HttpResponse<String> updated = write(instances.get(0), "PUT", "/inventory/three-p2",
                "{\"quantity\":40,\"title\":\"Renamed\"}");
            assertThat(updated.statusCode()).isEqualTo(200);
            assertThat(json(updated).get("item").get("title").asText()).isEqualTo("Renamed");
            onHand.put("three-p2", 40L);
            assertThat(write(instances.get(1), "DELETE", "/inventory/three-p3", null).statusCode()).isEqualTo(200);
            onHand.remove("three-p3");
            assertThat(write(instances.get(1), "POST", "/inventory/three-p3/adjustments", "{\"delta\":1}")
                .statusCode()).isEqualTo(404);
            assertThat(CLIENT.send(request(instances.get(0), "/inventory/three-p4/adjustments")
                .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":1}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("no token").isEqualTo(401);

            // Orders, each small enough to be reserved: reserved stock follows from the orders sent.
            final Map<String, Long> reserved = new HashMap<>();
            long reservedEvents = 0;
            for (int o = 0; o < 30; o++) {
                final String a = "three-p" + (4 + o % 20);
                final String b = "three-p" + (4 + (o * 7 + 3) % 20);
                final Map<String, Integer> lines = new TreeMap<>(Map.of(a, 1));
                lines.merge(b, 1, Integer::sum);
                wire.send(Topics.ORDER_CREATED, "three-o" + o, Fixtures.order("three-o" + o, lines));
                lines.forEach((product, quantity) -> reserved.merge(product, (long) quantity, Long::sum));
                reservedEvents += lines.size();
            }
            final long expectedReservedEvents = reservedEvents;
            wire.awaitUntil(all -> Wire.on(all, Topics.INVENTORY_RESERVED, e -> true).size()
                >= expectedReservedEvents, Duration.ofSeconds(60));

            // Every instance answers every product with the expected figures.
            for (final InventoryService instance : instances) {
                for (final Map.Entry<String, Long> product : onHand.entrySet()) {
                    final HttpResponse<String> answer = get(instance, "/inventory/" + product.getKey());
                    assertThat(answer.statusCode()).as("%s on %s", product.getKey(), instance.endpoint())
                        .isEqualTo(200);
                    assertStock(json(answer), product.getValue(), reserved.getOrDefault(product.getKey(), 0L));
                }
                assertThat(get(instance, "/inventory/three-p3").statusCode()).isEqualTo(404);
                // The listing, page by page, holds every item exactly once, in order.
                final List<String> listed = new ArrayList<>();
                String after = null;
                do {
                    final JsonNode page = json(get(instance, "/inventory?limit=5"
                        + (after == null ? "" : "&after=" + after)));
                    page.get("items").forEach(item -> listed.add(item.get("productId").asText()));
                    after = page.get("next") == null || page.get("next").isNull() ? null : page.get("next").asText();
                } while (after != null);
                assertThat(listed).as("listing on %s", instance.endpoint())
                    .containsExactlyElementsOf(onHand.keySet());
            }

            // Metrics, open without the token, in the Prometheus text format.
            final HttpResponse<String> metrics = CLIENT.send(request(instances.get(1), "/metrics").GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("kafka_stream_thread_process_rate", "jvm_memory_used_bytes",
                // the listing pages it has just answered, by route template
                "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                    + "uri=\"/inventory\"}");

            // One instance dies; readers keep asking every product on the other two.
            final InventoryService victim = instances.get(0);
            final List<InventoryService> survivors = List.of(instances.get(1), instances.get(2));
            final String watched = productOwnedBy(victim, onHand.keySet());
            final InventoryService standby = standbyOf(victim, watched, survivors);
            final AtomicBoolean reading = new AtomicBoolean(true);
            final List<String> wrong = new CopyOnWriteArrayList<>();
            final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            final AtomicInteger staleAnswers = new AtomicInteger();
            final List<Thread> readers = new ArrayList<>();
            for (final InventoryService survivor : survivors) {
                final Thread reader = new Thread(() -> {
                    int i = 0;
                    while (reading.get()) {
                        final String productId = new ArrayList<>(onHand.keySet()).get(i++ % onHand.size());
                        final boolean stale = i % 2 == 0;
                        try {
                            final HttpResponse<String> answer = get(survivor, "/inventory/" + productId
                                + (stale ? "?stale=true" : ""));
                            statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                            if (answer.statusCode() == 200) {
                                final JsonNode body = json(answer);
                                if (body.path("stale").asBoolean(false)) {
                                    staleAnswers.incrementAndGet();
                                    if (!stale || body.path("offsetLag").asLong(-2) < -1) {
                                        wrong.add("unasked or lagless stale answer " + body);
                                    }
                                }
                                final long expectedReserved = reserved.getOrDefault(productId, 0L);
                                if (body.get("onHand").asLong() != onHand.get(productId)
                                    || body.get("reserved").asLong() != expectedReserved
                                    || body.get("available").asLong() != onHand.get(productId) - expectedReserved) {
                                    wrong.add(productId + " -> " + body);
                                }
                            } else if (answer.statusCode() != 503 || !json(answer).has("error")) {
                                wrong.add(productId + " -> " + answer.statusCode() + " " + answer.body());
                            }
                        } catch (final IOException | RuntimeException e) {
                            wrong.add(productId + " -> " + e);
                        } catch (final InterruptedException e) {
                            return;
                        }
                    }
                }, "reader-" + survivor.endpoint().port());
                reader.start();
                readers.add(reader);
            }
            Thread.sleep(300);
            victim.abandon();
            instances.remove(victim);

            // Until the session times out the dead instance still owns its partitions: the latest answer is a 503,
            // a read that allows it comes from the standby copy and says so.
            final HttpResponse<String> latest = get(standby, "/inventory/" + watched);
            final HttpResponse<String> staleRead = get(standby, "/inventory/" + watched + "?stale=true");
            assertThat(latest.statusCode()).as(latest.body()).isEqualTo(503);
            assertThat(latest.headers().firstValue("Retry-After")).isPresent();
            assertThat(staleRead.statusCode()).as(staleRead.body()).isEqualTo(200);
            assertThat(json(staleRead).get("stale").asBoolean()).isTrue();
            assertThat(json(staleRead).get("offsetLag").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(json(staleRead).get("servedBy").asText())
                .isEqualTo("127.0.0.1:" + standby.endpoint().port());
            assertStock(json(staleRead), onHand.get(watched), reserved.getOrDefault(watched, 0L));

            // Then the partitions move, and the survivors answer everything again.
            awaitReady(survivors);
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (get(standby, "/inventory/" + watched).statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            reading.set(false);
            for (final Thread reader : readers) {
                reader.join();
            }
            System.out.printf("three instances: answers by status %s, stale answers %d%n", statuses, staleAnswers.get());
            assertThat(wrong).as("wrong answers while an instance died").isEmpty();
            assertThat(statuses.get(200)).as("answers while an instance died").isNotNull();
            for (final InventoryService survivor : survivors) {
                for (final Map.Entry<String, Long> product : onHand.entrySet()) {
                    // A follow-up rebalance may come right after the first (seen: RUNNING -> REBALANCING again within
                    // two seconds); its 503s are what the API promises, and are retried as a client would.
                    final long settled = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    HttpResponse<String> answer = get(survivor, "/inventory/" + product.getKey());
                    while (answer.statusCode() == 503 && System.nanoTime() < settled) {
                        Thread.sleep(200);
                        answer = get(survivor, "/inventory/" + product.getKey());
                    }
                    assertThat(answer.statusCode()).as("%s after failover: %s", product.getKey(), answer.body())
                        .isEqualTo(200);
                    assertStock(json(answer), product.getValue(), reserved.getOrDefault(product.getKey(), 0L));
                }
            }
        } finally {
            instances.forEach(InventoryService::close);
        }
    }

    private static void assertStock(final JsonNode product, final long onHand, final long reserved) {
        assertThat(product.get("onHand").asLong()).as("onHand of %s", product).isEqualTo(onHand);
        assertThat(product.get("reserved").asLong()).as("reserved of %s", product).isEqualTo(reserved);
        assertThat(product.get("held").asLong()).as("held of %s", product).isZero();
        assertThat(product.get("available").asLong()).as("available of %s", product).isEqualTo(onHand - reserved);
    }

    private static String productOwnedBy(final InventoryService owner, final Iterable<String> products) {
        for (final String productId : products) {
            final KeyQueryMetadata metadata = owner.streams().queryMetadataForKey(Topics.INVENTORY_STORE, productId,
                Serdes.String().serializer());
            if (metadata.activeHost().equals(owner.endpoint())) {
                return productId;
            }
        }
        throw new AssertionError("instance " + owner.endpoint() + " owns no product");
    }

    private static InventoryService standbyOf(final InventoryService owner, final String productId,
                                              final List<InventoryService> others) {
        final KeyQueryMetadata metadata = owner.streams().queryMetadataForKey(Topics.INVENTORY_STORE, productId,
            Serdes.String().serializer());
        for (final InventoryService other : others) {
            for (final HostInfo host : metadata.standbyHosts()) {
                if (host.equals(other.endpoint())) {
                    return other;
                }
            }
        }
        throw new AssertionError("no standby for " + productId + " in " + metadata);
    }

    private static void awaitReady(final List<InventoryService> instances) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (final InventoryService instance : instances) {
            while (instance.streams().state() != KafkaStreams.State.RUNNING
                || get(instance, "/health/ready").statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(instance.endpoint() + " not ready: " + instance.streams().state());
                }
                Thread.sleep(100);
            }
        }
    }

    private static HttpRequest.Builder request(final InventoryService instance, final String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.endpoint().port() + path))
            .timeout(Duration.ofSeconds(15));
    }

    private static HttpResponse<String> get(final InventoryService instance, final String path)
        throws IOException, InterruptedException {
        return CLIENT.send(request(instance, path).header("Authorization", "Bearer " + TOKEN).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> write(final InventoryService instance, final String method,
                                              final String path, final String body)
        throws IOException, InterruptedException {
        return CLIENT.send(request(instance, path).header("Authorization", "Bearer " + TOKEN)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(final HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }
}
