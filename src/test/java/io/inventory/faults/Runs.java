package io.inventory.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * What every suite of this package sets up first (the service jar, a work directory, the service's topics) and the
 * checks they share once the workload has run.
 */
final class Runs {

    private Runs() {
    }

    /** The runnable jar ({@code -Dservice.jar} or {@code target/inventory-service.jar}); it must exist. */
    static Path serviceJar() {
        final Path jar = Path.of(System.getProperty("service.jar", "target/inventory-service.jar")).toAbsolutePath();
        assertThat(jar).as("the service jar (run mvn package first)").exists();
        return jar;
    }

    /** A fresh directory {@code target/faults/<prefix>-<millis>} for the broker, state and logs of one run. */
    static Path workDirectory(final String prefix) throws IOException {
        return Files.createDirectories(Path.of("target", "faults", prefix + "-" + System.currentTimeMillis())
            .toAbsolutePath());
    }

    /** Creates every inbound and outbound topic with {@code partitions} partitions. */
    static void createTopics(final EmbeddedKafka kafka, final int partitions) {
        kafka.createTopics(topics(partitions));
    }

    /** Every inbound and outbound topic, to {@code partitions}. */
    static Map<String, Integer> topics(final int partitions) {
        final Map<String, Integer> topics = new TreeMap<>();
        Topic.names(Topics.INBOUND).forEach(topic -> topics.put(topic, partitions));
        Topic.names(Topics.OUTBOUND).forEach(topic -> topics.put(topic, partitions));
        return topics;
    }

    /** Waits until the service has announced every product the workload created. */
    static void awaitCreated(final Outputs outputs, final int products) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outputs.snapshot().stream().filter(o -> o.topic().equals(Topics.INVENTORY_CREATED.name())).count()
            < products) {
            assertThat(System.nanoTime()).as("products created within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * After quiescing no transaction may stay open: a hanging one would block read_committed consumers. A listing
     * that fails is retried: {@code listTransactions} asks every broker, and the admin client fails the whole call
     * ("Unexpected key set" from {@code AllBrokersStrategy}) when it finds one unavailable, as it may shortly after
     * a broker restart.
     */
    static List<String> hangingTransactions(final Admin admin) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        List<TransactionListing> ongoing = List.of();
        ExecutionException failure = null;
        do {
            try {
                ongoing = new ArrayList<>(admin.listTransactions(new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))).all().get(30, TimeUnit.SECONDS));
                failure = null;
                if (ongoing.isEmpty()) {
                    return List.of();
                }
            } catch (final ExecutionException e) {
                failure = e;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        if (failure != null) {
            return List.of("transactions could not be listed for 45 s after quiesce: " + failure.getCause());
        }
        return ongoing.stream().map(t -> "transaction still ONGOING 45 s after quiesce: " + t).toList();
    }

    /** A finished run: how many orders it had, and what the verifier found in it. */
    record Judged(int orders, List<String> violations) {
    }

    /**
     * Reads the final HTTP view of every product and order (through any instance), checks that no instance died,
     * and has the {@link Verifier} judge what was sent, the committed outputs and those views.
     */
    static Judged judge(final Cluster cluster, final Workload workload, final Map<String, Long> initialStock,
                        final Outputs outputs) throws InterruptedException {
        final Map<String, JsonNode> products = new TreeMap<>();
        for (final String productId : workload.products()) {
            products.put(productId, cluster.query("/inventory/" + productId, Duration.ofSeconds(60)));
        }
        final Set<String> orderIds = new Verifier(workload.sent(), initialStock, outputs.snapshot(), products,
            Map.of()).orderIds();
        final Map<String, JsonNode> orders = new TreeMap<>();
        for (final String orderId : orderIds) {
            orders.put(orderId, cluster.query("/orders/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8),
                Duration.ofSeconds(60)));
        }
        cluster.checkDeaths(true);
        return new Judged(orderIds.size(),
            new Verifier(workload.sent(), initialStock, outputs.snapshot(), products, orders).verify());
    }
}
