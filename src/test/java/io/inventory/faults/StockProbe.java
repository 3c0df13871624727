package io.inventory.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Reads {@code GET /inventory/{id}} from every live instance, round after round, on one background thread, and
 * checks every answer as it comes: a 200 shows {@code available >= 0} and {@code onHand = available + reserved +
 * held}; anything else is an explicit 503 (or a 404 for a product that does not exist) with a JSON error body.
 * A request that gets no HTTP answer at all (the process was just killed) is counted, not judged.
 */
final class StockProbe implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<List<ServiceProcess>> live;
    private final List<String> products;
    private final Random random;
    private final List<String> violations = new ArrayList<>();
    private final Map<Integer, AtomicLong> byStatus = new TreeMap<>();
    private final AtomicLong noAnswer = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    StockProbe(final Supplier<List<ServiceProcess>> live, final List<String> products, final long seed) {
        this.live = live;
        this.products = products;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "faults-stock-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            for (final ServiceProcess instance : live.get()) {
                if (!running) {
                    return;
                }
                probe(instance, products.get(random.nextInt(products.size())));
            }
            try {
                Thread.sleep(15);
            } catch (final InterruptedException e) {
                return;
            }
        }
    }

    /** One GET, judged; returns the parsed 200 body or {@code null}. */
    JsonNode probe(final ServiceProcess instance, final String productId) {
        final HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(instance.uri("/inventory/" + productId))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            noAnswer.incrementAndGet();
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        final int status = response.statusCode();
        synchronized (byStatus) {
            byStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        }
        final String where = instance.name() + " GET /inventory/" + productId + " -> " + status + " "
            + response.body();
        final JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (final IOException e) {
            violation("HTTP answer is not JSON: " + where);
            return null;
        }
        if (status == 200) {
            final long onHand = body.path("onHand").asLong(-1);
            final long available = body.path("available").asLong(-1);
            final long reserved = body.path("reserved").asLong(-1);
            final long held = body.path("held").asLong(-1);
            if (available < 0 || reserved < 0 || held < 0 || onHand != available + reserved + held) {
                violation("stock invariant broken (available >= 0, onHand = available + reserved + held): "
                    + where);
            }
            return body;
        }
        if (status == 503) {
            if (!body.hasNonNull("error")) {
                violation("503 without a JSON error: " + where);
            }
        } else if (status == 404) {
            // Every product is created (and its creation committed) before the probe starts.
            violation("404 for a product that exists: " + where);
        } else {
            violation("unexpected HTTP status: " + where);
        }
        return null;
    }

    private void violation(final String text) {
        synchronized (violations) {
            violations.add(text);
        }
    }

    long queries() {
        synchronized (byStatus) {
            return byStatus.values().stream().mapToLong(AtomicLong::get).sum() + noAnswer.get();
        }
    }

    String statusCounts() {
        synchronized (byStatus) {
            return byStatus + " noAnswer=" + noAnswer.get();
        }
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(20_000);
    }
}
