package io.inventory.config;

import io.inventory.domain.Deadlines;
import io.inventory.topology.TopologySettings;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's configuration, from environment variables over an optional properties file
 * ({@code CONFIG_FILE}, see {@code config/}). The Kafka connection variables are the seed design's
 * ({@code KAFKA_CLIENT_ID}, {@code KAFKA_BROKERS}, {@code KAFKA_CONNECTION_TIMEOUT}, {@code KAFKA_REQUEST_TIMEOUT},
 * {@code KAFKA_RETRY_MAX_TIME}, {@code KAFKA_RETRY_INITIAL_TIME}, {@code KAFKA_RETRY_COUNT}); any other Kafka
 * Streams or client property passes through as {@code STREAMS_<NAME>} (dots as underscores, for example
 * {@code STREAMS_SECURITY_PROTOCOL=SASL_SSL}) or as {@code kafka.<name>} in the file.
 */
public record ServiceConfig(
    String clientId,
    String brokers,
    int connectionTimeoutMs,
    int requestTimeoutMs,
    int retryMaxTimeMs,
    int retryInitialTimeMs,
    int retryCount,
    String applicationId,
    Path stateDir,
    int httpPort,
    String advertisedHost,
    int topicPartitions,
    Optional<Short> replicationFactor,
    Optional<Integer> minInsyncReplicas,
    int standbyReplicas,
    String processingGuarantee,
    Optional<String> instanceId,
    Duration retention,
    Optional<Duration> reservationTtl,
    Duration decisionTimeout,
    boolean createTopics,
    Optional<Secret> httpAuthToken,
    boolean httpAuthReads,
    Duration httpWriteTimeout,
    int rocksDbBlockCacheMb,
    int rocksDbWriteBufferMb,
    LogSettings logging,
    Map<String, String> kafkaOverrides) {

    public static final String PASS_THROUGH_ENV_PREFIX = "STREAMS_";
    public static final String PASS_THROUGH_FILE_PREFIX = "kafka.";
    /** How long a write request waits for its command's outcome before answering 202. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
    /** Kafka Streams' {@code replication.factor} for "the broker's default". */
    public static final int BROKER_DEFAULT_REPLICATION_FACTOR = -1;

    /** Reads the configuration from the process environment (and {@code CONFIG_FILE} when it is set). */
    public static ServiceConfig fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the configuration from the given variables; the file named by {@code CONFIG_FILE} is read first. */
    public static ServiceConfig from(final Map<String, String> env) {
        final Map<String, String> settings = new TreeMap<>();
        final String file = env.get("CONFIG_FILE");
        if (file != null && !file.isBlank()) {
            settings.putAll(readFile(Path.of(file)));
        }
        settings.putAll(env);
        final Settings s = new Settings(settings);
        return new ServiceConfig(
            s.text("KAFKA_CLIENT_ID", "inventory-service"),
            s.text("KAFKA_BROKERS", "localhost:9092"),
            s.integer("KAFKA_CONNECTION_TIMEOUT", 10_000, 1),
            s.integer("KAFKA_REQUEST_TIMEOUT", 30_000, 1),
            s.integer("KAFKA_RETRY_MAX_TIME", 30_000, 1),
            s.integer("KAFKA_RETRY_INITIAL_TIME", 300, 1),
            // Idempotent producers refuse zero retries.
            s.integer("KAFKA_RETRY_COUNT", 8, 1, Integer.MAX_VALUE),
            s.text("APPLICATION_ID", "inventory-service-group"),
            Path.of(s.text("STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "inventory-service")
                .toString())),
            s.integer("HTTP_PORT", 8080, 0, 65_535),
            s.text("ADVERTISED_HOST", "localhost"),
            s.integer("TOPIC_PARTITIONS", 3, 1),
            // Unset: the broker's default.replication.factor, for created and internal topics alike.
            s.optionalInteger("TOPIC_REPLICATION_FACTOR", 1, Short.MAX_VALUE).map(Integer::shortValue),
            s.optionalInteger("TOPIC_MIN_INSYNC_REPLICAS", 1, Short.MAX_VALUE),
            s.integer("NUM_STANDBY_REPLICAS", 0, 0),
            s.choice("PROCESSING_GUARANTEE", StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.AT_LEAST_ONCE),
            s.optionalText("INSTANCE_ID"),
            s.duration("RETENTION", TopologySettings.DEFAULT_RETENTION),
            s.optionalDuration("RESERVATION_TTL"),
            s.duration("DECISION_TIMEOUT", Deadlines.DEFAULT_DECISION_TIMEOUT),
            s.bool("CREATE_TOPICS", true),
            s.secret("HTTP_AUTH_TOKEN"),
            s.bool("HTTP_AUTH_READS", false),
            s.duration("HTTP_WRITE_TIMEOUT", DEFAULT_WRITE_TIMEOUT),
            s.integer("ROCKSDB_BLOCK_CACHE_MB", BoundedRocksDbConfig.DEFAULT_BLOCK_CACHE_MB, 0),
            s.integer("ROCKSDB_WRITE_BUFFER_MB", BoundedRocksDbConfig.DEFAULT_WRITE_BUFFER_MB, 1),
            new LogSettings(s.logFormat("LOG_FORMAT"), s.logLevel("LOG_LEVEL")),
            passThrough(settings));
    }

    public ServiceConfig {
        if (minInsyncReplicas.isPresent() && replicationFactor.isPresent()
            && minInsyncReplicas.get() > replicationFactor.get()) {
            // Every acks=all write would fail with NOT_ENOUGH_REPLICAS: refuse it before anything starts.
            throw new ConfigException("TOPIC_MIN_INSYNC_REPLICAS: must be at most TOPIC_REPLICATION_FACTOR ("
                + replicationFactor.get() + "), got '" + minInsyncReplicas.get() + "'");
        }
        if (rocksDbBlockCacheMb > 0) {
            // Fails now, with the setting's name, rather than when the first store opens.
            new BoundedRocksDbConfig.Sizes(rocksDbBlockCacheMb, rocksDbWriteBufferMb);
        }
    }

    /** The settings the topology's shape depends on. */
    public TopologySettings topologySettings() {
        return new TopologySettings(applicationId, topicPartitions, retention,
            new Deadlines(reservationTtl, decisionTimeout, retention));
    }

    /** {@code host:port} other instances use to reach this one's HTTP server; also {@code application.server}. */
    public String advertisedEndpoint() {
        return advertisedHost + ":" + httpPort;
    }

    /** The Kafka Streams configuration: exactly-once by default, the seed's timeouts and backoff, overrides last. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        // -1: the broker's default.replication.factor (KIP-464), unless TOPIC_REPLICATION_FACTOR says otherwise.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor.map(Short::intValue)
            .orElse(BROKER_DEFAULT_REPLICATION_FACTOR));
        minInsyncReplicas.ifPresent(replicas ->
            props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), replicas));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedEndpoint());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // A failing record goes to the dead letter topic and processing continues (KIP-1034). The topology has no
        // global stores or tables, so the deprecated processing.exception.handler.global.enabled has nothing to do.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.INVENTORY_DLQ.name());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler");
        // The seed's connection settings, for every client Kafka Streams creates.
        props.put(StreamsConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, connectionTimeoutMs);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
            Math.max(connectionTimeoutMs, 30_000));
        props.put(StreamsConfig.RETRY_BACKOFF_MS_CONFIG, retryInitialTimeMs);
        props.put(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, retryMaxTimeMs);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRIES_CONFIG), retryCount);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.adminClientPrefix(AdminClientConfig.RETRIES_CONFIG), retryCount);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        if (StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)) {
            // KIP-892: a store stages a transaction's writes and applies them when the transaction commits, so a
            // crash leaves it at its last commit (no wipe and full restore after SIGKILL), and interactive queries
            // read committed state only: HTTP never shows stock that an aborted transaction would roll back.
            props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
            props.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        }
        // Static membership (KIP-345): a restarted instance takes its partitions back at once instead of waiting
        // for the group to notice the old member's death (session.timeout.ms, 45 s).
        instanceId.ifPresent(id ->
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        // ROCKSDB_BLOCK_CACHE_MB=0 keeps RocksDB's own defaults: a cache and memtables per store, unbounded in total.
        if (rocksDbBlockCacheMb > 0) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
            props.put(BoundedRocksDbConfig.BLOCK_CACHE_MB_CONFIG, rocksDbBlockCacheMb);
            props.put(BoundedRocksDbConfig.WRITE_BUFFER_MB_CONFIG, rocksDbWriteBufferMb);
        }
        props.putAll(kafkaOverrides);
        return props;
    }

    /**
     * Properties every client of the service's own shares (admin, producers, consumers): the connection, its
     * timeouts, the retry backoff and the connection overrides. Admin clients and producers take
     * {@link #adminProperties()} and {@link #producerProperties()}, which add the retry count.
     */
    public Properties clientProperties() {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, connectionTimeoutMs);
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, retryInitialTimeMs);
        props.put(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG, retryMaxTimeMs);
        kafkaOverrides.forEach((key, value) -> {
            if (isConnectionProperty(key)) {
                props.put(key, value);
            }
        });
        return props;
    }

    /** The service's own admin client: {@link #clientProperties()} and {@code KAFKA_RETRY_COUNT}. */
    public Properties adminProperties() {
        final Properties props = clientProperties();
        props.put(AdminClientConfig.RETRIES_CONFIG, retryCount);
        return props;
    }

    /**
     * The base of the service's own producers (the write API's, the command-line client's):
     * {@link #clientProperties()} and {@code KAFKA_RETRY_COUNT}; each producer adds its client id and serializers.
     */
    public Properties producerProperties() {
        final Properties props = clientProperties();
        props.put(ProducerConfig.RETRIES_CONFIG, retryCount);
        return props;
    }

    /** Overrides that concern the connection (security, SASL, SSL) apply to the service's own clients too. */
    private static boolean isConnectionProperty(final String key) {
        return key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    private static Map<String, String> passThrough(final Map<String, String> settings) {
        final Map<String, String> overrides = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(PASS_THROUGH_FILE_PREFIX)) {
                overrides.put(key.substring(PASS_THROUGH_FILE_PREFIX.length()), value);
            }
        });
        settings.forEach((key, value) -> {
            if (key.startsWith(PASS_THROUGH_ENV_PREFIX) && key.length() > PASS_THROUGH_ENV_PREFIX.length()) {
                overrides.put(key.substring(PASS_THROUGH_ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                    .replace('_', '.'), value);
            }
        });
        return overrides;
    }

    private static Map<String, String> readFile(final Path file) {
        final Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (final IOException | IllegalArgumentException e) {
            throw new ConfigException("CONFIG_FILE: cannot read " + file + " (" + oneLine(e.getMessage()) + ")");
        }
        final Map<String, String> values = new TreeMap<>();
        props.stringPropertyNames().forEach(name -> values.put(name, props.getProperty(name).trim()));
        return values;
    }

    /** A value as it may be quoted in a one-line error. */
    private static String oneLine(final String value) {
        return value == null ? "" : value.replaceAll("\\s+", " ").trim();
    }

    /** Typed reads with one-line errors that name the setting. */
    private record Settings(Map<String, String> values) {

        String text(final String name, final String fallback) {
            final String value = values.get(name);
            if (value == null) {
                return fallback;
            }
            if (value.isBlank()) {
                throw new ConfigException(name + ": must not be blank");
            }
            return value.trim();
        }

        int integer(final String name, final int fallback, final int min) {
            return integer(name, fallback, min, Integer.MAX_VALUE);
        }

        int integer(final String name, final int fallback, final int min, final int max) {
            final String value = values.get(name);
            if (value == null) {
                return fallback;
            }
            try {
                final int parsed = Integer.parseInt(value.trim());
                if (parsed < min || parsed > max) {
                    throw new ConfigException(name + ": must be from " + min + " to " + max + ", got '"
                        + oneLine(value) + "'");
                }
                return parsed;
            } catch (final NumberFormatException e) {
                throw new ConfigException(name + ": must be an integer, got '" + oneLine(value) + "'");
            }
        }

        Optional<String> optionalText(final String name) {
            return values.containsKey(name) ? Optional.of(text(name, "")) : Optional.empty();
        }

        /** A number that has no default of its own: unset is empty, and means the broker decides. */
        Optional<Integer> optionalInteger(final String name, final int min, final int max) {
            return values.containsKey(name) ? Optional.of(integer(name, 0, min, max)) : Optional.empty();
        }

        /** An optional credential; set but blank is an error, since it would silently turn authentication off. */
        Optional<Secret> secret(final String name) {
            final String value = values.get(name);
            if (value == null) {
                return Optional.empty();
            }
            if (value.isBlank()) {
                throw new ConfigException(name + ": must not be blank when set");
            }
            return Optional.of(Secret.of(value.trim()));
        }

        boolean bool(final String name, final boolean fallback) {
            final String value = values.get(name);
            if (value == null) {
                return fallback;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(name + ": must be true or false, got '" + oneLine(value) + "'");
            };
        }

        LogSettings.Format logFormat(final String name) {
            final String value = choice(name, LogSettings.DEFAULT.format().settingValue(),
                Arrays.stream(LogSettings.Format.values()).map(LogSettings.Format::settingValue)
                    .toArray(String[]::new));
            return LogSettings.Format.valueOf(value.toUpperCase(Locale.ROOT));
        }

        /** A logback level in any case, as logback itself reads it, but never its silent fallback to DEBUG. */
        LogSettings.Level logLevel(final String name) {
            final String value = text(name, LogSettings.DEFAULT.level().name());
            for (final LogSettings.Level level : LogSettings.Level.values()) {
                if (level.name().equalsIgnoreCase(value)) {
                    return level;
                }
            }
            throw new ConfigException(name + ": must be one of " + Arrays.stream(LogSettings.Level.values())
                .map(Enum::name).collect(Collectors.joining(", ")) + ", got '" + oneLine(value) + "'");
        }

        String choice(final String name, final String fallback, final String... allowed) {
            final String value = text(name, fallback);
            for (final String option : allowed) {
                if (option.equals(value)) {
                    return value;
                }
            }
            throw new ConfigException(name + ": must be one of " + String.join(", ", allowed) + ", got '"
                + oneLine(value) + "'");
        }

        /** A positive duration, or empty when the setting is not set. */
        Optional<Duration> optionalDuration(final String name) {
            return values.get(name) == null ? Optional.empty() : Optional.of(duration(name, Duration.ZERO));
        }

        Duration duration(final String name, final Duration fallback) {
            final String value = values.get(name);
            if (value == null) {
                return fallback;
            }
            try {
                final Duration parsed = Duration.parse(value.trim());
                if (parsed.isNegative() || parsed.isZero()) {
                    throw new ConfigException(name + ": must be a positive ISO-8601 duration, got '" + value + "'");
                }
                return parsed;
            } catch (final DateTimeParseException e) {
                throw new ConfigException(name + ": must be an ISO-8601 duration such as P7D, got '" + value + "'");
            }
        }
    }
}
