package io.inventory.app;

import io.inventory.command.KafkaCommands;
import io.inventory.config.ServiceConfig;
import io.inventory.http.Backends;
import io.inventory.http.BearerAuth;
import io.inventory.topology.InventoryTopology;
import io.inventory.http.HttpApi;
import io.inventory.http.HttpPeerClient;
import io.inventory.http.MetricsEndpoint;
import io.inventory.metrics.ServiceMetrics;
import io.inventory.query.InventoryQueries;
import io.inventory.query.KafkaStreamsAccess;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance: its topics verified, the topology running in {@link KafkaStreams}, and its HTTP server.
 * {@link #close()} stops HTTP first, then closes Streams, which commits the open transaction and flushes state.
 */
public final class InventoryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ServiceConfig config;
    private final KafkaStreams streams;
    private final HttpApi http;
    private final KafkaCommands commands;
    private final ServiceMetrics metrics;
    private final HostInfo self;
    private final CountDownLatch stopped;
    private final AtomicBoolean failed;

    private InventoryService(final ServiceConfig config, final KafkaStreams streams, final HttpApi http,
                             final KafkaCommands commands, final ServiceMetrics metrics, final HostInfo self,
                             final CountDownLatch stopped, final AtomicBoolean failed) {
        this.config = config;
        this.streams = streams;
        this.http = http;
        this.commands = commands;
        this.metrics = metrics;
        this.self = self;
        this.stopped = stopped;
        this.failed = failed;
    }

    private static void closeQuietly(final AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (final Exception e) {
            LOG.warn("could not close {} after a failed start: {}", resource.getClass().getSimpleName(), e.toString());
        }
    }

    private static MetricsEndpoint endpoint(final ServiceMetrics metrics) {
        return new MetricsEndpoint() {
            @Override
            public String contentType() {
                return metrics.contentType();
            }

            @Override
            public String scrape() {
                return metrics.scrape();
            }

            @Override
            public Optional<MeterRegistry> registry() {
                return Optional.of(metrics.registry());
            }
        };
    }

    private static HttpApi bind(final int port) {
        try {
            return HttpApi.bind(port);
        } catch (final IOException e) {
            throw new IllegalStateException("HTTP_PORT " + port + ": cannot listen (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Sets up topics, starts Kafka Streams and the HTTP server; returns without waiting for RUNNING. Kafka Streams
     * starts as soon as it is built: joining the group and restoring state take seconds, and the command producer
     * and the HTTP routes are set up meanwhile (connections wait in the listen backlog until they are).
     */
    public static InventoryService start(final ServiceConfig config) {
        try (Admin admin = Admin.create(config.adminProperties())) {
            TopicSetup.ensure(admin, config);
        }
        // Bind first: with HTTP_PORT=0 the port other instances must use is known only once bound.
        final HttpApi http = bind(config.httpPort());
        final HostInfo self = new HostInfo(config.advertisedHost(), http.port());
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicBoolean failed = new AtomicBoolean();
        KafkaStreams streams = null;
        KafkaCommands commands = null;
        ServiceMetrics metrics = null;
        try {
            final Properties props = config.streamsProperties();
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
            streams = new KafkaStreams(InventoryTopology.build(config.topologySettings()), props);
            watch(streams, stopped, failed);
            streams.start();
            commands = KafkaCommands.start(config.producerProperties(), config.clientProperties(), config.clientId(),
                config.httpWriteTimeout());
            metrics = ServiceMetrics.create(streams);
            final BearerAuth auth = new BearerAuth(config.httpAuthToken(), config.httpAuthReads());
            final InventoryQueries queries = new InventoryQueries(new KafkaStreamsAccess(streams), self,
                new HttpPeerClient(self, HttpPeerClient.DEFAULT_TIMEOUT, config.httpAuthToken()));
            http.serve(new Backends(queries, commands, config.httpWriteTimeout(), auth,
                Optional.of(endpoint(metrics))));
        } catch (final RuntimeException e) {
            // Nothing started may outlive a failed start: the process exits with the error next.
            http.close();
            for (final AutoCloseable started : new AutoCloseable[] {metrics, commands, streams}) {
                closeQuietly(started);
            }
            throw e;
        }
        LOG.info("Started {} as {} against {} (HTTP {}:{})", config.applicationId(), config.clientId(),
            config.brokers(), self.host(), self.port());
        return new InventoryService(config, streams, http, commands, metrics, self, stopped, failed);
    }

    /** Logs every state change; an ERROR, or an exception no handler absorbed, ends the instance as failed. */
    private static void watch(final KafkaStreams streams, final CountDownLatch stopped, final AtomicBoolean failed) {
        streams.setStateListener((next, previous) -> {
            LOG.info("Kafka Streams state {} -> {}", previous, next);
            if (next == KafkaStreams.State.ERROR) {
                failed.set(true);
                stopped.countDown();
            }
        });
        // An exception the handlers did not absorb is a bug or a fatal broker error: stop this client and let
        // the process exit non-zero, so the orchestrator restarts it and the task resumes from the last commit.
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("Stream thread failed; shutting this instance down", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ServiceConfig config() {
        return config;
    }

    /** Where this instance's HTTP server is reachable, as other instances see it ({@code application.server}). */
    public HostInfo endpoint() {
        return self;
    }

    /** Blocks until the service is closed or Kafka Streams fails; true when it failed. */
    public boolean awaitTermination() throws InterruptedException {
        stopped.await();
        return failed.get();
    }

    /** Waits until Kafka Streams is RUNNING, or fails after {@code timeout}. */
    public void awaitRunning(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("not RUNNING after " + timeout + ": " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops as a crashed process looks to the other instances: HTTP goes down and Kafka Streams closes without
     * leaving the group, so its partitions stay assigned to it until the session times out. For failover tests.
     */
    public void abandon() {
        stop(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        LOG.info("Abandoned {}", config.clientId());
    }

    @Override
    public void close() {
        // Leaving the group hands this instance's tasks over at once instead of after the session timeout.
        stop(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        LOG.info("Stopped {}", config.clientId());
    }

    private void stop(final CloseOptions.GroupMembershipOperation membership) {
        http.close();
        commands.close();
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(membership));
        metrics.close();
        stopped.countDown();
    }
}
