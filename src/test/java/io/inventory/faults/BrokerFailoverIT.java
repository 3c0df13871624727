package io.inventory.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.testing.EmbeddedKafkaCluster;
import io.inventory.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Broker failover: the service jar as two separate JVMs (one application id, 4 partitions, exactly-once v2) against
 * three KRaft nodes in this JVM ({@link EmbeddedKafkaCluster}: each broker and controller, replication factor 3 and
 * {@code min.insync.replicas=2} for every topic, the service's changelogs and repartition topics included), under
 * the fault suite's seeded workload. Mid-run the broker that leads the most partitions of the busiest topics (the
 * order events' entry, {@code order.created}, and the stock task's input, {@code holds-by-product}'s repartition
 * topic) is stopped, with its controller (the server's own shutdown in this JVM, so a controlled one that moves
 * leadership first; a SIGKILLed broker process is not simulated); the workload goes on against the two others for {@value #DOWN_MS} ms;
 * then the broker is restarted on its ports and data, must rejoin the ISR of every partition, and the workload goes
 * on again.
 *
 * <p>No service instance is touched: one that dies is a violation (and is restarted). After quiescing, the checks
 * are {@link FaultsIT}'s: {@link Verifier} over the {@code read_committed} outputs and the final HTTP views,
 * {@link StockProbe}'s view of every HTTP answer along the run, and no transaction left {@code ONGOING}. One summary
 * line is printed, {@code failover: broker=N led=L/T ...}, then every violation in full; the test fails if there is
 * any. About 2 minutes on a shared 2-core machine. {@code -Dfaults.seed=N} replays a workload; logs of each
 * instance are in {@code target/faults/failover-<millis>/logs/}.
 */
class BrokerFailoverIT {

    private static final int PARTITIONS = 4;
    private static final int PRODUCTS = 24;
    private static final int RATE = 25;
    private static final long BEFORE_MS = 15_000;
    private static final long DOWN_MS = 25_000;
    private static final long AFTER_MS = 20_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ISR_TIMEOUT = Duration.ofSeconds(60);
    private static final String APPLICATION_ID = "failover-it";

    private final long seed = Long.getLong("faults.seed", System.nanoTime());

    @Test
    void shouldNeitherOversellNorLoseNorDoubleAnythingWhenTheBusiestBrokerFails() throws Exception {
        final long startNanos = System.nanoTime();
        final Path jar = Runs.serviceJar();
        final Path work = Runs.workDirectory("failover");
        System.out.println("failover: seed=" + seed + " work=" + work);

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(work.resolve("kafka"))) {
            kafka.createTopics(Runs.topics(PARTITIONS));
            final Map<String, String> env = Map.ofEntries(
                Map.entry("KAFKA_BROKERS", kafka.bootstrapServers()),
                Map.entry("APPLICATION_ID", APPLICATION_ID),
                Map.entry("TOPIC_PARTITIONS", Integer.toString(PARTITIONS)),
                Map.entry("TOPIC_REPLICATION_FACTOR", "3"),
                Map.entry("TOPIC_MIN_INSYNC_REPLICAS", "2"),
                Map.entry("LOG_LEVEL", "INFO"),
                Map.entry("KAFKA_RETRY_MAX_TIME", "2000"),
                Map.entry("KAFKA_REQUEST_TIMEOUT", "15000"),
                Map.entry("STREAMS_COMMIT_INTERVAL_MS", "100"),
                Map.entry("STREAMS_SESSION_TIMEOUT_MS", "6000"),
                Map.entry("STREAMS_HEARTBEAT_INTERVAL_MS", "1500"));
            try (Cluster cluster = new Cluster(jar, work, env, "a", "b");
                 Workload workload = new Workload(kafka.bootstrapServers(), seed, PRODUCTS);
                 Outputs outputs = new Outputs(kafka.bootstrapServers())) {
                cluster.start(cluster.get("a"));
                cluster.start(cluster.get("b"));
                awaitReady(cluster);
                final Map<String, Long> initialStock = workload.createProducts();
                Runs.awaitCreated(outputs, PRODUCTS);

                final Driver driver = new Driver(workload, RATE);
                StockProbe probe = null;
                final Leadership victim;
                final long downMs;
                try {
                    probe = new StockProbe(cluster::live, workload.products(), seed);
                    pause(cluster, BEFORE_MS);

                    victim = Leadership.busiest(kafka.admin());
                    Cluster.log("broker " + victim.nodeId() + " stop: leads " + victim.led() + " of "
                        + victim.partitions() + " partitions of " + victim.topics() + (victim.controller()
                        ? ", active controller" : ""));
                    final long stopNanos = System.nanoTime();
                    kafka.stop(victim.nodeId());
                    pause(cluster, DOWN_MS);
                    kafka.restart(victim.nodeId());
                    downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos);
                    Cluster.log("broker " + victim.nodeId() + " restarted after " + downMs + " ms");
                    awaitInSync(kafka.admin(), victim.nodeId(), cluster);

                    pause(cluster, AFTER_MS);
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
                // A fresh admin client: the cluster's own one saw broker connections drop and come back.
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                    violations.addAll(Runs.hangingTransactions(admin));
                }
                violations.addAll(judged.violations());

                final List<Workload.Sent> sent = workload.sent();
                System.out.printf("failover: broker=%d led=%d/%d%s down=%dms restarts=%d orders=%d events=%d "
                        + "queries=%d violations=%d%n", victim.nodeId(), victim.led(), victim.partitions(),
                    victim.controller() ? " (active controller)" : "", downMs, cluster.restarts(),
                    judged.orders(), sent.size(), probe.queries(), violations.size());
                System.out.println("failover: seed=" + seed + " outputs=" + outputs.size() + " http="
                    + probe.statusCounts() + " topics=" + victim.topics()
                    + " wall=" + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos) + "s");
                violations.forEach(v -> System.out.println("failover: VIOLATION " + v));

                assertThat(victim.led()).as("partitions the stopped broker led").isPositive();
                assertThat(violations).as("violations (seed %d)", seed).isEmpty();
            }
        }
    }

    /**
     * The broker that leads the most partitions of the busiest topics (ties: the most partitions of every topic,
     * then the lowest id), what it leads, and whether it is the active controller.
     */
    private record Leadership(int nodeId, int led, int partitions, Set<String> topics, boolean controller) {

        static Leadership busiest(final Admin admin) throws Exception {
            final Set<String> all = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final Set<String> busiest = new TreeSet<>();
            busiest.add(Topics.ORDER_CREATED.name());
            all.stream().filter(t -> t.startsWith(APPLICATION_ID + "-")
                    && t.endsWith("-" + Topics.HOLDS_BY_PRODUCT.name() + "-repartition"))
                .forEach(busiest::add);
            assertThat(busiest).as("the busiest topics exist").hasSizeGreaterThan(1);
            final Map<String, TopicDescription> descriptions = admin.describeTopics(all).allTopicNames()
                .get(30, TimeUnit.SECONDS);
            final Map<Integer, Integer> busyLed = new TreeMap<>();
            final Map<Integer, Integer> allLed = new TreeMap<>();
            int busyPartitions = 0;
            for (final TopicDescription description : descriptions.values()) {
                final boolean busy = busiest.contains(description.name());
                for (final TopicPartitionInfo partition : description.partitions()) {
                    if (busy) {
                        busyPartitions++;
                    }
                    if (partition.leader() == null) {
                        continue;
                    }
                    allLed.merge(partition.leader().id(), 1, Integer::sum);
                    if (busy) {
                        busyLed.merge(partition.leader().id(), 1, Integer::sum);
                    }
                }
            }
            final int nodeId = EmbeddedKafkaCluster.NODE_IDS.stream()
                .max(Comparator.<Integer>comparingInt(id -> busyLed.getOrDefault(id, 0))
                    .thenComparingInt(id -> allLed.getOrDefault(id, 0))
                    .thenComparing(Comparator.<Integer>reverseOrder()))
                .orElseThrow();
            final Node controller = admin.describeCluster().controller().get(30, TimeUnit.SECONDS);
            return new Leadership(nodeId, busyLed.getOrDefault(nodeId, 0), busyPartitions, busiest,
                controller != null && controller.id() == nodeId);
        }
    }

    /** The restarted broker must catch up and rejoin the ISR of every partition (internal topics included). */
    private static void awaitInSync(final Admin admin, final int nodeId, final Cluster cluster) throws Exception {
        final long start = System.nanoTime();
        final long deadline = start + ISR_TIMEOUT.toNanos();
        List<String> outOfSync;
        do {
            final Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(30, TimeUnit.SECONDS);
            outOfSync = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream()
                    .filter(p -> p.isr().stream().noneMatch(n -> n.id() == nodeId))
                    .map(p -> d.name() + "-" + p.partition()))
                .sorted()
                .toList();
            if (outOfSync.isEmpty()) {
                Cluster.log("broker " + nodeId + " back in every ISR after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                return;
            }
            cluster.checkDeaths(true);
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        cluster.violations().add("broker " + nodeId + " not back in the ISR of " + outOfSync.size()
            + " partitions within " + ISR_TIMEOUT + ": " + outOfSync.stream().limit(20).collect(Collectors.joining(", ")));
    }

    /** Sleeps, watching for instances that die on their own meanwhile (two brokers stay up throughout). */
    private static void pause(final Cluster cluster, final long millis) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            cluster.checkDeaths(true);
            Thread.sleep(Math.max(0, Math.min(250, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        } while (System.nanoTime() < deadline);
    }

    private static void awaitReady(final Cluster cluster) throws InterruptedException {
        final long start = System.nanoTime();
        if (!cluster.awaitReady(READY_TIMEOUT, () -> cluster.checkDeaths(true))) {
            cluster.violations().add("instances not ready within " + READY_TIMEOUT + ": "
                + cluster.live().stream().map(i -> i.name() + " (" + i.log() + ")").collect(Collectors.joining(", ")));
        }
        Cluster.log("ready: " + cluster.live().stream().map(ServiceProcess::name).toList() + " after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }
}
