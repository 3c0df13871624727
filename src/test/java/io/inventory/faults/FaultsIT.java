package io.inventory.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The fault suite: the real service as separate JVMs ({@code target/inventory-service.jar}, one to three instances
 * sharing one application id, 4 partitions, exactly-once v2) against a KRaft broker in this JVM, under a seeded
 * workload, while instances are SIGKILLed and restarted (also during a rebalance and during restoration), stopped
 * with SIGTERM and started, scaled from one to three and back, and the broker is stopped and restarted. A probe
 * reads {@code GET /inventory/{id}} from every live instance all along.
 *
 * <p>After the service quiesces, {@link Verifier} checks the {@code read_committed} outputs and the final HTTP views
 * (its Javadoc says which properties are checked against a model replayed in the observed processing order and
 * which are order-independent), {@link StockProbe} has checked every HTTP answer, and no transaction may be left
 * {@code ONGOING}. One summary line is printed:
 * {@code faults: kills=K restarts=R brokerRestarts=B orders=N events=E queries=Q violations=V}, then every
 * violation in full. The test fails if V > 0, or if fewer than 3 kills or no broker restart happened.
 *
 * <p>Bounded by default: the fixed fault sequence runs once (measured on a shared 2-core machine: about 2 minutes
 * for the test, 3 minutes for the whole {@code mvn verify} command below including the build). {@code
 * -Dfaults.minutes=N} adds N minutes of random faults (kills, kills during restoration, SIGTERM, scaling, broker
 * restarts) after it, with the workload running throughout; for example 30 minutes:
 * <pre>
 * mvn -o package -DskipTests
 * mvn -o verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultsIT -Dfaults.minutes=30
 * </pre>
 * {@code -Dfaults.seed=N} replays a workload (the timing of faults and processing is not reproducible);
 * {@code -Dfaults.rate=N} sets workload steps per second (default 25). Logs of every instance run are in
 * {@code target/faults/<run>/logs/}.
 */
class FaultsIT {

    private static final int PARTITIONS = 4;
    private static final int PRODUCTS = 24;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final long seed = Long.getLong("faults.seed", System.nanoTime());
    private final double minutes = Double.parseDouble(System.getProperty("faults.minutes", "0"));
    private final int rate = Integer.getInteger("faults.rate", 25);
    private final Random random = new Random(seed);
    private volatile boolean brokerUp = true;
    private int brokerRestarts;

    @Test
    void shouldNeitherOversellNorLoseNorDoubleAnythingWhenProcessesDie() throws Exception {
        final long startNanos = System.nanoTime();
        final Path jar = Runs.serviceJar();
        final Path work = Runs.workDirectory("run");
        System.out.println("faults: seed=" + seed + " work=" + work);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            Runs.createTopics(kafka, PARTITIONS);
            final Map<String, String> env = Map.ofEntries(
                Map.entry("KAFKA_BROKERS", kafka.bootstrapServers()),
                Map.entry("APPLICATION_ID", "faults-it"),
                Map.entry("TOPIC_PARTITIONS", Integer.toString(PARTITIONS)),
                Map.entry("TOPIC_REPLICATION_FACTOR", "1"),
                Map.entry("LOG_LEVEL", "INFO"),
                Map.entry("KAFKA_RETRY_MAX_TIME", "2000"),
                Map.entry("KAFKA_REQUEST_TIMEOUT", "15000"),
                Map.entry("STREAMS_COMMIT_INTERVAL_MS", "100"),
                Map.entry("STREAMS_SESSION_TIMEOUT_MS", "6000"),
                Map.entry("STREAMS_HEARTBEAT_INTERVAL_MS", "1500"));
            try (Cluster cluster = new Cluster(jar, work, env, "a", "b", "c");
                 Workload workload = new Workload(kafka.bootstrapServers(), seed, PRODUCTS);
                 Outputs outputs = new Outputs(kafka.bootstrapServers())) {
                final ServiceProcess a = cluster.get("a");
                final ServiceProcess b = cluster.get("b");
                final ServiceProcess c = cluster.get("c");
                cluster.start(a);
                awaitReady(cluster);
                final Map<String, Long> initialStock = workload.createProducts();
                Runs.awaitCreated(outputs, PRODUCTS);

                final Driver driver = new Driver(workload, rate);
                StockProbe probe = null;
                try {
                    probe = new StockProbe(cluster::live, workload.products(), seed);
                    runFaults(kafka, cluster, a, b, c);
                    final long extraDeadline = System.nanoTime() + (long) (minutes * 60e9);
                    while (System.nanoTime() < extraDeadline) {
                        randomFault(kafka, cluster, List.of(a, b, c));
                    }
                    // Back to one instance.
                    pause(cluster, 2000 + random.nextInt(3000));
                    for (final ServiceProcess instance : List.of(b, c)) {
                        if (instance.isAlive()) {
                            cluster.stop(instance);
                        }
                    }
                    if (!a.isAlive()) {
                        cluster.start(a);
                    }
                    pause(cluster, 2000);
                } finally {
                    driver.close();
                }
                workload.flush();
                Cluster.log("workload stopped after " + workload.sent().size() + " records; quiescing");
                awaitReady(cluster);
                outputs.awaitQuiet(Duration.ofSeconds(6), Duration.ofSeconds(120));
                probe.close();

                final Runs.Judged judged = Runs.judge(cluster, workload, initialStock, outputs);

                final List<String> violations = new ArrayList<>(cluster.violations());
                violations.addAll(probe.violations());
                violations.addAll(Runs.hangingTransactions(kafka.admin()));
                violations.addAll(judged.violations());

                final List<Workload.Sent> sent = workload.sent();
                System.out.printf("faults: kills=%d restarts=%d brokerRestarts=%d orders=%d events=%d queries=%d "
                        + "violations=%d%n", cluster.kills(), cluster.restarts(), brokerRestarts,
                    judged.orders(), sent.size(), probe.queries(), violations.size());
                System.out.println("faults: seed=" + seed + " outputs=" + outputs.size() + " http=" + probe.statusCounts()
                    + " poison=" + sent.stream().filter(s -> s.kind == Workload.Kind.POISON).count()
                    + " fulfilments=" + sent.stream().filter(s -> s.kind == Workload.Kind.ORDER_FULFILLED).count()
                    + " fulfilled=" + outputs.snapshot().stream()
                        .filter(o -> o.topic().equals(Topics.INVENTORY_FULFILLED.name())).count()
                    + " fulfilmentFailed=" + outputs.snapshot().stream()
                        .filter(o -> o.topic().equals(Topics.INVENTORY_FULFILMENT_FAILED.name())).count()
                    + " wall=" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos) + "s");
                violations.forEach(v -> System.out.println("faults: VIOLATION " + v));

                assertThat(cluster.kills()).as("SIGKILLs").isGreaterThanOrEqualTo(3);
                assertThat(brokerRestarts).as("broker restarts").isGreaterThanOrEqualTo(1);
                assertThat(violations).as("violations (seed %d)", seed).isEmpty();
            }
        }
    }

    /** The fixed sequence every run goes through. */
    private void runFaults(final EmbeddedKafka kafka, final Cluster cluster, final ServiceProcess a,
                           final ServiceProcess b, final ServiceProcess c) throws InterruptedException {
        pause(cluster, 3000 + random.nextInt(3000));
        // Scale 1 -> 3, and SIGKILL one of the newcomers while the group rebalances.
        cluster.start(b);
        cluster.start(c);
        awaitRebalancing(cluster, b);
        pause(cluster, random.nextInt(1500));
        cluster.kill(b);
        pause(cluster, random.nextInt(3000));
        cluster.start(b);
        awaitReady(cluster);

        // SIGKILL at a random moment, then again while the restarted instance restores.
        pause(cluster, 2000 + random.nextInt(5000));
        final ServiceProcess victim = List.of(a, b, c).get(random.nextInt(3));
        cluster.kill(victim);
        pause(cluster, random.nextInt(4000));
        cluster.start(victim);
        // Its tasks restore from the changelogs (a SIGKILLed exactly-once task has no checkpoint to resume from).
        awaitRebalancing(cluster, victim);
        pause(cluster, random.nextInt(1500));
        cluster.kill(victim);
        pause(cluster, random.nextInt(2000));
        cluster.start(victim);
        awaitReady(cluster);

        // The broker goes away while the service runs.
        pause(cluster, 2000 + random.nextInt(4000));
        brokerRestart(kafka, cluster, 3000 + random.nextInt(4000));
        awaitReady(cluster);

        // Graceful stop and start.
        pause(cluster, 2000 + random.nextInt(4000));
        final ServiceProcess stopped = List.of(a, b, c).get(random.nextInt(3));
        cluster.stop(stopped);
        pause(cluster, 1000 + random.nextInt(3000));
        cluster.start(stopped);
        awaitReady(cluster);
    }

    private void randomFault(final EmbeddedKafka kafka, final Cluster cluster, final List<ServiceProcess> all)
        throws InterruptedException {
        pause(cluster, 3000 + random.nextInt(10_000));
        final ServiceProcess instance = all.get(random.nextInt(all.size()));
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                if (instance.isAlive()) {
                    cluster.kill(instance);
                    pause(cluster, random.nextInt(5000));
                }
                cluster.start(instance);
            }
            case 2 -> {
                if (instance.isAlive()) {
                    cluster.stop(instance);
                    pause(cluster, random.nextInt(3000));
                }
                cluster.start(instance);
            }
            case 3 -> brokerRestart(kafka, cluster, 1000 + random.nextInt(8000));
            case 4 -> {
                // Scale down, or up if it is down.
                if (instance.isAlive() && cluster.live().size() > 1) {
                    cluster.stop(instance);
                } else if (!instance.isAlive()) {
                    cluster.start(instance);
                }
            }
            default -> {
                if (!instance.isAlive()) {
                    cluster.start(instance);
                    pause(cluster, 2000 + random.nextInt(6000));
                }
                cluster.kill(instance);
                cluster.start(instance);
            }
        }
        awaitReady(cluster);
    }

    /** Waits until the instance has joined the group and is rebalancing (restoring, before it runs). */
    private void awaitRebalancing(final Cluster cluster, final ServiceProcess instance) throws InterruptedException {
        if (!instance.awaitLog("CREATED -> REBALANCING", Duration.ofSeconds(60))) {
            cluster.checkDeaths(brokerUp);
        }
    }

    private void brokerRestart(final EmbeddedKafka kafka, final Cluster cluster, final int downMs)
        throws InterruptedException {
        Cluster.log("broker stop (down for " + downMs + " ms)");
        brokerUp = false;
        kafka.stop();
        pause(cluster, downMs);
        kafka.restart();
        brokerUp = true;
        brokerRestarts++;
        Cluster.log("broker restarted");
    }

    /** Sleeps, watching for instances that die on their own meanwhile. */
    private void pause(final Cluster cluster, final long millis) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            cluster.checkDeaths(brokerUp);
            Thread.sleep(Math.max(0, Math.min(250, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        } while (System.nanoTime() < deadline);
    }

    private void awaitReady(final Cluster cluster) throws InterruptedException {
        final long start = System.nanoTime();
        if (!cluster.awaitReady(READY_TIMEOUT, () -> cluster.checkDeaths(brokerUp))) {
            cluster.violations().add("instances not ready within " + READY_TIMEOUT + ": "
                + cluster.live().stream().map(i -> i.name() + " (" + i.log() + ")").collect(Collectors.joining(", ")));
        }
        Cluster.log("ready: " + cluster.live().stream().map(ServiceProcess::name).toList() + " after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }
}
