package io.inventory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real three-node Apache Kafka cluster inside the current JVM: three KRaft processes, each both broker and
 * controller (node ids 1, 2, 3; a static quorum of all three), configured as a small production cluster would be:
 * replication factor 3 and {@code min.insync.replicas=2} for created and internal topics, so one node can be down
 * while every write with {@code acks=all} (and every transaction) still succeeds.
 *
 * <p>Like {@link EmbeddedKafka}, it binds {@code 127.0.0.1} on free ports and keeps everything under the given work
 * directory, which {@link #close()} deletes. {@link #stop(int)} takes one node down (its broker and its controller:
 * the quorum keeps two of three voters) and {@link #restart(int)} brings it back on the same ports and data, as a
 * crashed-and-restarted machine would come back: it catches up from the other replicas and rejoins the ISRs.
 *
 * <p>The nodes start in parallel: a combined node's startup waits until its broker has registered with an active
 * controller, which needs a majority of the voters, so starting them one after another would deadlock.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** Node ids, in order. */
    public static final List<Integer> NODE_IDS = List.of(1, 2, 3);

    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final int START_ATTEMPTS = 3;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final List<Member> members;
    private final Admin admin;
    private final Path workDir;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean(false);

    /** One node: its fixed configuration and, while it runs, its server. */
    private static final class Member {
        final int nodeId;
        final int brokerPort;
        final KafkaConfig config;
        /** The running server, or {@code null} while stopped. */
        KafkaRaftServer server;

        Member(final int nodeId, final int brokerPort, final KafkaConfig config) {
            this.nodeId = nodeId;
            this.brokerPort = brokerPort;
            this.config = config;
        }

        String address() {
            return HOST + ":" + brokerPort;
        }
    }

    private EmbeddedKafkaCluster(final List<Member> members, final Admin admin, final Path workDir) {
        this.members = members;
        this.admin = admin;
        this.workDir = workDir;
        this.bootstrapServers = members.stream().map(Member::address).collect(Collectors.joining(","));
    }

    /**
     * Formats KRaft storage for three nodes under {@code workDir} (one cluster id) and starts them. Returns once an
     * admin client sees all three brokers. A stale storage directory left in {@code workDir} is removed first.
     *
     * @param workDir directory for all data of the cluster; created if missing, deleted by {@link #close()}
     * @return the running cluster
     */
    public static EmbeddedKafkaCluster start(final Path workDir) {
        final Path root = workDir.toAbsolutePath().normalize();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(root);
            } catch (final RuntimeException e) {
                // Most likely a free port was taken between probing and binding: retry on new ports.
                LOG.warn("Embedded Kafka cluster start attempt {}/{} failed: {}", attempt, START_ATTEMPTS, e.toString());
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        KraftNodes.deleteRecursively(root);
        throw failure;
    }

    private static EmbeddedKafkaCluster startOnce(final Path root) {
        final long startNanos = System.nanoTime();
        KraftNodes.deleteRecursively(root);
        KraftNodes.createDirectories(root);

        final List<Integer> brokerPorts = new ArrayList<>();
        final List<Integer> controllerPorts = new ArrayList<>();
        try (PortReservations ports = new PortReservations()) {
            for (int i = 0; i < NODE_IDS.size(); i++) {
                brokerPorts.add(ports.next());
                controllerPorts.add(ports.next());
            }
        }
        final String voters = NODE_IDS.stream()
                .map(id -> id + "@" + HOST + ":" + controllerPorts.get(id - 1))
                .collect(Collectors.joining(","));
        final String clusterId = Uuid.randomUuid().toString();

        final List<Member> members = new ArrayList<>();
        for (final int nodeId : NODE_IDS) {
            final Path dataDir = root.resolve("node-" + nodeId);
            final Properties props = brokerProperties(nodeId, dataDir, brokerPorts.get(nodeId - 1),
                    controllerPorts.get(nodeId - 1), voters);
            KraftNodes.format(nodeId, clusterId, dataDir);
            members.add(new Member(nodeId, brokerPorts.get(nodeId - 1), KafkaConfig.fromProps(props, false)));
        }

        Admin admin = null;
        try {
            final List<CompletableFuture<Void>> startups = new ArrayList<>();
            for (final Member member : members) {
                member.server = new KafkaRaftServer(member.config, Time.SYSTEM);
                startups.add(startAsync(member.server, member.nodeId));
            }
            CompletableFuture.allOf(startups.toArray(CompletableFuture[]::new))
                    .get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            admin = Admin.create(KraftNodes.adminProperties(
                    members.stream().map(Member::address).collect(Collectors.joining(",")),
                    "embedded-kafka-cluster-admin"));
            awaitBrokers(admin, NODE_IDS.size());
        } catch (final ExecutionException | TimeoutException e) {
            shutdownAll(admin, members);
            throw new IllegalStateException("Embedded Kafka cluster did not start", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownAll(admin, members);
            throw new IllegalStateException("Interrupted while starting the embedded Kafka cluster", e);
        } catch (final RuntimeException e) {
            shutdownAll(admin, members);
            throw e;
        }
        final EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(members, admin, root);
        LOG.info("Embedded Kafka cluster started at {} (voters {}, data {}) in {} ms", cluster.bootstrapServers,
                voters, root, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return cluster;
    }

    private static CompletableFuture<Void> startAsync(final KafkaRaftServer server, final int nodeId) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Thread thread = new Thread(() -> {
            try {
                server.startup();
                done.complete(null);
            } catch (final Throwable e) {
                done.completeExceptionally(e);
            }
        }, "embedded-kafka-startup-" + nodeId);
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /**
     * Shuts one node down (broker and controller), keeping its data directory and ports for {@link #restart(int)}.
     * This is the server's own shutdown, not a crash: the broker asks the controller for a controlled shutdown, so
     * the leadership of its partitions moves to in-sync replicas before it goes; clients connected to it see
     * {@code NOT_LEADER_OR_FOLLOWER} and then connection errors. If it was the active controller, the two others
     * elect a new one.
     */
    public synchronized void stop(final int nodeId) {
        final Member member = member(nodeId);
        if (closed.get() || member.server == null) {
            throw new IllegalStateException("Kafka node " + nodeId + " is not running");
        }
        final long startNanos = System.nanoTime();
        try {
            member.server.shutdown();
            member.server.awaitShutdown();
        } finally {
            member.server = null;
        }
        LOG.info("Kafka node {} at {} stopped in {} ms", nodeId, member.address(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Starts a node again after {@link #stop(int)}, on the same ports and data directory, and returns once the
     * admin client sees all three brokers. Binding is retried for a while: a port may linger briefly after the stop.
     */
    public synchronized void restart(final int nodeId) {
        final Member member = member(nodeId);
        if (closed.get() || member.server != null) {
            throw new IllegalStateException("Kafka node " + nodeId + " is not stopped");
        }
        final long startNanos = System.nanoTime();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= 10 && member.server == null; attempt++) {
            final KafkaRaftServer candidate = new KafkaRaftServer(member.config, Time.SYSTEM);
            try {
                candidate.startup();
                member.server = candidate;
            } catch (final RuntimeException e) {
                LOG.warn("Kafka node {} restart attempt {} failed: {}", nodeId, attempt, e.toString());
                failure = e;
                try {
                    candidate.shutdown();
                    candidate.awaitShutdown();
                } catch (final RuntimeException ignored) {
                    // The half-started server is discarded either way; the next attempt starts a fresh one.
                }
                KraftNodes.sleep(Duration.ofMillis(500));
            }
        }
        if (member.server == null) {
            throw new IllegalStateException("Kafka node " + nodeId + " did not restart", failure);
        }
        awaitBrokers(admin, NODE_IDS.size());
        LOG.info("Kafka node {} at {} restarted in {} ms", nodeId, member.address(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The admin client of the cluster (bootstrapped from all three nodes; owned by it: do not close). */
    public Admin admin() {
        return admin;
    }

    /** The client bootstrap addresses of all three nodes, {@code 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates the given topics with the cluster's defaults (replication factor 3, {@code min.insync.replicas=2})
     * and waits until the controller has created them. Topics that already exist are left as they are.
     *
     * @param topicPartitions topic name to partition count
     */
    public void createTopics(final Map<String, Integer> topicPartitions) {
        if (closed.get()) {
            throw new IllegalStateException("Embedded Kafka cluster is closed");
        }
        final List<NewTopic> topics = topicPartitions.entrySet().stream()
                .map(entry -> new NewTopic(entry.getKey(), entry.getValue(), (short) NODE_IDS.size())
                        .configs(Map.of("min.insync.replicas", "2")))
                .toList();
        KraftNodes.createTopics(admin, topics);
    }

    /** Shuts every running node down, waits for them, and deletes the work directory. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final long startNanos = System.nanoTime();
        shutdownAll(admin, members);
        KraftNodes.deleteRecursively(workDir);
        LOG.info("Embedded Kafka cluster at {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private Member member(final int nodeId) {
        return members.stream().filter(m -> m.nodeId == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + nodeId + " (nodes " + NODE_IDS + ")"));
    }

    private static Properties brokerProperties(final int nodeId, final Path dataDir, final int brokerPort,
                                               final int controllerPort, final String voters) {
        final Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(nodeId));
        props.setProperty("controller.quorum.voters", voters);
        props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        props.setProperty("listeners",
                BROKER_LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.setProperty("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        props.setProperty("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.setProperty("inter.broker.listener.name", BROKER_LISTENER);
        props.setProperty("log.dirs", dataDir.toString());
        props.setProperty("metadata.log.dir", dataDir.toString());

        // A small production cluster: every topic, internal ones included, survives the loss of one node.
        props.setProperty("default.replication.factor", "3");
        props.setProperty("min.insync.replicas", "2");
        props.setProperty("offsets.topic.replication.factor", "3");
        props.setProperty("offsets.topic.num.partitions", "3");
        props.setProperty("transaction.state.log.replication.factor", "3");
        props.setProperty("transaction.state.log.min.isr", "2");
        props.setProperty("transaction.state.log.num.partitions", "3");
        props.setProperty("share.coordinator.state.topic.replication.factor", "3");
        props.setProperty("share.coordinator.state.topic.min.isr", "2");
        props.setProperty("num.partitions", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // Never elect a replica that is out of the ISR: a failover must not lose acknowledged writes.
        props.setProperty("unclean.leader.election.enable", "false");

        // Small footprint: three nodes share a 2-core machine with the service instances.
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "2");
        props.setProperty("num.replica.fetchers", "1");
        props.setProperty("background.threads", "2");
        props.setProperty("num.recovery.threads.per.data.dir", "1");
        props.setProperty("log.cleaner.threads", "1");
        props.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        return props;
    }

    /** Waits until {@code describeCluster()} lists {@code count} live brokers. */
    private static void awaitBrokers(final Admin admin, final int count) {
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            try {
                final var nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                if (nodes.size() >= count) {
                    return;
                }
                last = nodes.stream().map(Node::idString).toList();
            } catch (final ExecutionException | TimeoutException e) {
                last = e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the embedded Kafka cluster", e);
            }
            KraftNodes.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("Embedded Kafka cluster did not show " + count + " brokers within "
                + READY_TIMEOUT + " (last: " + last + ")");
    }

    private static void shutdownAll(final Admin admin, final List<Member> members) {
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(5));
            } catch (final RuntimeException e) {
                LOG.warn("Error closing the embedded Kafka cluster's admin client", e);
            }
        }
        // Begin every shutdown before waiting for any: a node waits for the quorum while it shuts down.
        final List<KafkaRaftServer> running = new ArrayList<>();
        for (final Member member : members) {
            if (member.server != null) {
                running.add(member.server);
                member.server = null;
            }
        }
        final List<CompletableFuture<Void>> shutdowns = running.stream()
                .map(server -> CompletableFuture.runAsync(() -> {
                    server.shutdown();
                    server.awaitShutdown();
                }))
                .toList();
        for (final CompletableFuture<Void> shutdown : shutdowns) {
            try {
                shutdown.get(60, TimeUnit.SECONDS);
            } catch (final ExecutionException | TimeoutException e) {
                LOG.warn("Error shutting down an embedded Kafka node", e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Distinct free ports: each probe socket stays bound until all are chosen, so none is handed out twice. */
    private static final class PortReservations implements AutoCloseable {
        private final List<ServerSocket> sockets = new ArrayList<>();

        int next() {
            try {
                final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                socket.setReuseAddress(true);
                sockets.add(socket);
                return socket.getLocalPort();
            } catch (final IOException e) {
                throw new UncheckedIOException("Could not find a free port", e);
            }
        }

        @Override
        public void close() {
            for (final ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (final IOException e) {
                    LOG.debug("Could not close a port probe", e);
                }
            }
        }
    }
}
