package io.inventory.bench;

import io.inventory.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGKILL then restart (issue 14): one instance as its own JVM holds {@code --products} products (default 1M) on
 * a broker in a JVM of its own; orders for other products flow at 500/s so the kill lands mid-transaction; the
 * instance is killed and started again on the same state directory and port, and timed from the kill to the first
 * correct answer of {@code GET /inventory/<last product>} (200 with its full stock). Each variant starts its
 * instance once, lets it run, then kills and restarts it with the same settings:
 * <ul>
 *   <li>{@code dynamic}: no {@code INSTANCE_ID} (a new member; the group waits for the dead one's session);</li>
 *   <li>{@code static}: {@code INSTANCE_ID} set (static membership), transactional stores (the default);</li>
 *   <li>{@code static-no-txn}: static, {@code enable.transactional.statestores=false}.</li>
 * </ul>
 * The service's log is searched for Kafka Streams' EOS wipe ("wipe out the local state").
 *
 * <pre>
 * bench/run.sh --restart [--products 1000000] [--variants dynamic,static,static-no-txn]
 * </pre>
 */
public final class RestartTime {

    private static final Logger LOG = LoggerFactory.getLogger(RestartTime.class);
    private static final String WIPE = "wipe out the local state";

    record Result(String variant, double killToAnswerSeconds, double startToReadySeconds, long wipes) {
    }

    private RestartTime() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> options = Session.options(args);
        final int products = Integer.parseInt(options.getOrDefault("products", "1000000"));
        final List<String> variants = List.of(options.getOrDefault("variants", "dynamic,static,static-no-txn")
            .split(","));
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path work = Path.of("target/bench-work/restart-" + stamp);
        final Path jar = Path.of("target/inventory-service.jar");
        final List<Result> results = new ArrayList<>();
        double loadSeconds;
        try (BrokerProcess broker = BrokerProcess.start(work.resolve("broker"));
             KafkaProducer<String, byte[]> producer = Session.producer(broker.bootstrapServers(), 5)) {
            // The products are loaded once, by a plain instance, which then stops cleanly (leaving the group).
            final long loadStart = System.nanoTime();
            try (ServiceJvm loader = new ServiceJvm(jar, work, "restart", broker.bootstrapServers(),
                Map.of("LOG_LEVEL", "WARN")).logAs("restart-load")) {
                loader.start();
                loader.awaitReady(Duration.ofSeconds(120));
                try (Watcher watcher = new Watcher(broker.bootstrapServers())) {
                    for (int i = 0; i < products; i++) {
                        final String id = Envelopes.productId(i);
                        producer.send(new ProducerRecord<>(Topics.INVENTORY_COMMANDS.name(), id,
                            Envelopes.createItem(id)));
                    }
                    producer.flush();
                    if (!Watcher.await(() -> watcher.count(Topics.INVENTORY_CREATED.name()), products,
                        Duration.ofMinutes(20))) {
                        throw new IllegalStateException("products not created");
                    }
                }
            }
            loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            LOG.info("restart: {} products loaded in {} s", products, String.format(Locale.ROOT, "%.0f", loadSeconds));
            final String last = Envelopes.productId(products - 1);
            for (final String variant : variants) {
                results.add(variant(jar, work, broker.bootstrapServers(), producer, variant, last, products));
            }
        }
        final StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
            "SIGKILL then restart with %,d products (loaded in %.0f s), orders flowing at 500/s during the kill; "
                + "broker and service in JVMs of their own, %d cores%n%n"
                + "| variant | kill to first correct answer (s) | restart to ready (s) | EOS wipes in the log |%n"
                + "| --- | ---: | ---: | ---: |%n",
            products, loadSeconds, Runtime.getRuntime().availableProcessors()));
        for (final Result result : results) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %d |%n", result.variant(),
                result.killToAnswerSeconds(), result.startToReadySeconds(), result.wipes()));
        }
        final Path out = Path.of("bench/results");
        Files.createDirectories(out);
        Files.writeString(out.resolve(stamp + "-restart.md"), table.toString());
        System.out.println(table);
        System.out.println("Wrote bench/results/" + stamp + "-restart.md");
    }

    private static Result variant(final Path jar, final Path work, final String bootstrap,
                                  final KafkaProducer<String, byte[]> producer, final String variant,
                                  final String last, final int products) throws Exception {
        final Map<String, String> env = new HashMap<>(Map.of("LOG_LEVEL", "INFO"));
        if (variant.startsWith("static")) {
            env.put("INSTANCE_ID", "restart-0");
        }
        if (variant.endsWith("no-txn")) {
            env.put("STREAMS_ENABLE_TRANSACTIONAL_STATESTORES", "false");
        }
        try (ServiceJvm service = new ServiceJvm(jar, work, "restart", bootstrap, env)
            .logAs("restart-" + variant)) {
            service.start();
            service.awaitReady(Duration.ofMinutes(5));
            final AtomicBoolean ordering = new AtomicBoolean(true);
            final Thread orders = new Thread(() -> {
                long n = 0;
                final long interval = 2_000_000L;
                long next = System.nanoTime();
                while (ordering.get()) {
                    final String orderId = variant + "-" + n;
                    producer.send(new ProducerRecord<>(Topics.ORDER_CREATED.name(), orderId,
                        Envelopes.orderCreated(orderId, Envelopes.productId((int) (n++ % (products - 1))))));
                    next += interval;
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                }
            }, "bench-restart-orders");
            orders.start();
            Thread.sleep(10_000);
            final long killed = System.nanoTime();
            service.kill();
            final Path crashedLog = service.log();
            service.start();
            final long restarted = System.nanoTime();
            service.awaitReady(Duration.ofMinutes(5));
            final long ready = System.nanoTime();
            while (!correct(service, last)) {
                Thread.sleep(20);
            }
            final long answered = System.nanoTime();
            ordering.set(false);
            orders.join();
            final List<String> lines = Files.readAllLines(service.log());
            final long wipes = lines.stream().filter(line -> line.contains(WIPE)).count();
            final Result result = new Result(variant, (answered - killed) / 1e9, (ready - restarted) / 1e9, wipes);
            LOG.info("restart {}: kill to answer {} s (crashed run's log {})", variant,
                String.format(Locale.ROOT, "%.1f", result.killToAnswerSeconds()), crashedLog);
            return result;
        }
    }

    private static boolean correct(final ServiceJvm service, final String productId) {
        final var response = service.get("/inventory/" + productId);
        return response.statusCode() == 200
            && response.body().contains("\"available\":" + Envelopes.STOCK);
    }
}
