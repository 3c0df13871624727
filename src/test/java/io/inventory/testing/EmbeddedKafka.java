package io.inventory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka cluster (one KRaft process that is both broker and controller) running inside
 * the current JVM, for integration tests and the local "run" command.
 *
 * <p>Why: these machines have no Docker, so Testcontainers is not an option, and {@code TopologyTestDriver} does not
 * exercise the real protocol (rebalances, transactions, {@code read_committed}). This class formats a KRaft storage
 * directory with {@link Formatter}, then starts a {@link KafkaRaftServer} bound to {@code 127.0.0.1} on two free
 * ports (client and controller listener). It is configured for a single node: internal topics use replication
 * factor 1 and min ISR 1, so transactions ({@code exactly_once_v2}) work.
 *
 * <p>Everything the broker writes lives under the given work directory, which {@link #close()} deletes.
 * {@link #stop()} and {@link #restart()} take the broker down and bring it back on the same ports and the same data
 * directory, as a crashed-and-restarted broker would come back: clients reconnect to the same address and find their
 * topics, committed offsets and transaction state where they left them.
 *
 * <p>Caveat: Kafka's fatal-fault handlers may halt the JVM if the broker hits an unrecoverable error (for example a
 * corrupted metadata log); in a test run that shows up as a forked JVM that died without a report.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConfig config;
    private final Admin admin;
    private final Path workDir;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean(false);
    /** The running server, or {@code null} between {@link #stop()} and {@link #restart()}. */
    private KafkaRaftServer server;

    private EmbeddedKafka(final KafkaConfig config, final KafkaRaftServer server, final Admin admin,
                          final Path workDir, final String bootstrapServers) {
        this.config = config;
        this.server = server;
        this.admin = admin;
        this.workDir = workDir;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats KRaft storage under {@code workDir} and starts the broker and controller. Returns once an admin
     * client's {@code describeCluster()} is answered. A stale storage directory left in {@code workDir} by an
     * earlier run is removed first.
     *
     * @param workDir directory for all broker data; created if missing, deleted by {@link #close()}
     * @return the running broker
     */
    public static EmbeddedKafka start(final Path workDir) {
        final Path root = workDir.toAbsolutePath().normalize();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(root);
            } catch (final RuntimeException e) {
                // Most likely a free port was taken between probing and binding: retry on new ports.
                LOG.warn("Embedded Kafka start attempt {}/{} failed: {}", attempt, START_ATTEMPTS, e.toString());
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

    private static EmbeddedKafka startOnce(final Path root) {
        final long startNanos = System.nanoTime();
        final Path dataDir = root.resolve("kraft-data");
        KraftNodes.deleteRecursively(dataDir);
        KraftNodes.createDirectories(root);

        final int brokerPort = freePort();
        final int controllerPort = freePort();
        final String bootstrap = HOST + ":" + brokerPort;

        final KafkaConfig config = KafkaConfig.fromProps(brokerProperties(dataDir, brokerPort, controllerPort), false);
        KraftNodes.format(NODE_ID, Uuid.randomUuid().toString(), dataDir);

        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Admin admin = null;
        try {
            server.startup();
            admin = Admin.create(KraftNodes.adminProperties(bootstrap, "embedded-kafka-admin"));
            awaitReady(admin);
        } catch (final RuntimeException e) {
            closeQuietly(admin, server);
            KraftNodes.deleteRecursively(dataDir);
            throw e;
        }
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        LOG.info("Embedded Kafka started at {} (controller port {}, data {}) in {} ms",
                bootstrap, controllerPort, dataDir, elapsedMs);
        return new EmbeddedKafka(config, server, admin, root, bootstrap);
    }

    /**
     * Shuts the broker down as a controlled shutdown would, keeping its data directory and ports reserved for
     * {@link #restart()}. Clients connected to it see connection errors until it is back.
     */
    public synchronized void stop() {
        if (closed.get() || server == null) {
            throw new IllegalStateException("Embedded Kafka is not running");
        }
        final long startNanos = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        LOG.info("Embedded Kafka at {} stopped for a restart in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Starts the broker again after {@link #stop()}, on the same ports and data directory, and returns once it
     * answers {@code describeCluster()}. Binding is retried for a while: a port may linger briefly after the stop.
     */
    public synchronized void restart() {
        if (closed.get() || server != null) {
            throw new IllegalStateException("Embedded Kafka is not stopped");
        }
        final long startNanos = System.nanoTime();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= 10 && server == null; attempt++) {
            final KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                candidate.startup();
                server = candidate;
            } catch (final RuntimeException e) {
                LOG.warn("Embedded Kafka restart attempt {} failed: {}", attempt, e.toString());
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
        if (server == null) {
            throw new IllegalStateException("Embedded Kafka did not restart", failure);
        }
        awaitReady(admin);
        LOG.info("Embedded Kafka at {} restarted in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The admin client of this broker (owned by it: do not close). */
    public Admin admin() {
        return admin;
    }

    /** The client bootstrap address, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates the given topics with replication factor 1 and waits until the controller has created them. Topics
     * that already exist are left as they are.
     *
     * @param topicPartitions topic name to partition count
     */
    public void createTopics(final Map<String, Integer> topicPartitions) {
        if (closed.get()) {
            throw new IllegalStateException("Embedded Kafka is closed");
        }
        final List<NewTopic> topics = topicPartitions.entrySet().stream()
                .map(entry -> new NewTopic(entry.getKey(), entry.getValue(), (short) 1))
                .toList();
        KraftNodes.createTopics(admin, topics);
    }

    /** Shuts the broker down, waits for it, and deletes the work directory. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        final long startNanos = System.nanoTime();
        closeQuietly(admin, server);
        KraftNodes.deleteRecursively(workDir);
        LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private static Properties brokerProperties(final Path dataDir, final int brokerPort, final int controllerPort) {
        final Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(NODE_ID));
        props.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        props.setProperty("listeners",
                BROKER_LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.setProperty("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        props.setProperty("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.setProperty("inter.broker.listener.name", BROKER_LISTENER);
        props.setProperty("log.dirs", dataDir.toString());
        props.setProperty("metadata.log.dir", dataDir.toString());

        // Single node: every internal topic must fit on one replica, or transactions and groups hang.
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("default.replication.factor", "1");
        props.setProperty("min.insync.replicas", "1");
        props.setProperty("num.partitions", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");

        // Small footprint on a shared 2-core machine.
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "2");
        props.setProperty("background.threads", "2");
        props.setProperty("num.recovery.threads.per.data.dir", "1");
        props.setProperty("log.cleaner.threads", "1");
        props.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        return props;
    }

    private static void awaitReady(final Admin admin) {
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (final ExecutionException | TimeoutException e) {
                last = e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for embedded Kafka", e);
            }
            KraftNodes.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("Embedded Kafka did not answer describeCluster within " + READY_TIMEOUT, last);
    }

    private static void closeQuietly(final Admin admin, final KafkaRaftServer server) {
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(5));
            } catch (final RuntimeException e) {
                LOG.warn("Error closing embedded Kafka admin client", e);
            }
        }
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (final RuntimeException e) {
            LOG.warn("Error shutting down embedded Kafka", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not find a free port", e);
        }
    }
}
