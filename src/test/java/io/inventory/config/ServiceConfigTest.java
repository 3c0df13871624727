package io.inventory.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inventory.domain.Deadlines;
import io.inventory.topology.TopologySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The service's configuration: defaults, every variable, one-line errors, pass-through and the file. */
class ServiceConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
        + " username=\"inventory-service\" password=\"secret\";";

    @TempDir
    Path dir;

    private Path file(final String content) throws IOException {
        final Path file = dir.resolve("service.properties");
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return file;
    }

    private static Map<String, String> env(final String... keysAndValues) {
        final Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    @Nested
    class Defaults {

        private final ServiceConfig config = ServiceConfig.from(Map.of());

        @Test
        void shouldUseTheSeedDefaultsWithoutAnyVariable() {
            // then
            assertThat(config.clientId()).isEqualTo("inventory-service");
            assertThat(config.brokers()).isEqualTo("localhost:9092");
            assertThat(config.connectionTimeoutMs()).isEqualTo(10_000);
            assertThat(config.requestTimeoutMs()).isEqualTo(30_000);
            assertThat(config.retryMaxTimeMs()).isEqualTo(30_000);
            assertThat(config.retryInitialTimeMs()).isEqualTo(300);
            assertThat(config.retryCount()).isEqualTo(8);
            assertThat(config.applicationId()).isEqualTo("inventory-service-group");
            assertThat(config.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"),
                "inventory-service"));
            assertThat(config.httpPort()).isEqualTo(8080);
            assertThat(config.advertisedHost()).isEqualTo("localhost");
            assertThat(config.topicPartitions()).isEqualTo(3);
            assertThat(config.replicationFactor()).isEmpty();
            assertThat(config.minInsyncReplicas()).isEmpty();
            assertThat(config.standbyReplicas()).isZero();
            assertThat(config.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
            assertThat(config.retention()).isEqualTo(TopologySettings.DEFAULT_RETENTION);
            assertThat(config.createTopics()).isTrue();
            assertThat(config.logging()).isEqualTo(new LogSettings(LogSettings.Format.TEXT, LogSettings.Level.INFO));
            assertThat(config.kafkaOverrides()).isEmpty();
            assertThat(config.advertisedEndpoint()).isEqualTo("localhost:8080");
            assertThat(config.instanceId()).isEmpty();
            assertThat(config.topologySettings()).isEqualTo(
                new TopologySettings("inventory-service-group", 3, Duration.ofDays(7)));
        }

        @Test
        void shouldMapTheDefaultsOntoKafkaStreamsProperties() {
            // when
            final Properties props = config.streamsProperties();

            // then
            assertThat(props).containsEntry("application.id", "inventory-service-group")
                .containsEntry("client.id", "inventory-service")
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("application.server", "localhost:8080")
                .containsEntry("request.timeout.ms", 30_000)
                .containsEntry("socket.connection.setup.timeout.ms", 10_000)
                .containsEntry("socket.connection.setup.timeout.max.ms", 30_000)
                .containsEntry("retry.backoff.ms", 300)
                .containsEntry("retry.backoff.max.ms", 30_000)
                .containsEntry("producer.retries", 8)
                .containsEntry("producer.enable.idempotence", true)
                .containsEntry("producer.acks", "all")
                .containsEntry("consumer.isolation.level", "read_committed")
                .containsEntry("ensure.explicit.internal.resource.naming", true)
                .containsEntry("errors.dead.letter.queue.topic.name", "inventory.dlq")
                .containsEntry("replication.factor", -1)
                .containsEntry("enable.transactional.statestores", true)
                .containsEntry("default.interactive.query.isolation.level", "READ_COMMITTED")
                .doesNotContainKey("main.consumer.group.instance.id")
                .doesNotContainKey("topic.min.insync.replicas")
                .doesNotContainKey("security.protocol");
        }

        @Test
        void shouldJoinAsAStaticMemberUnderAStableInstanceId() {
            // given
            final StreamsConfig streams = new StreamsConfig(ServiceConfig.from(Map.of("INSTANCE_ID", "inventory-0"))
                .streamsProperties());

            // when
            final Map<String, Object> consumer = streams.getMainConsumerConfigs("inventory-service-group",
                "inventory-service-consumer", 0);

            // then: Kafka Streams adds the thread's index, so each stream thread is its own static member
            assertThat(consumer.get("group.instance.id")).asString().startsWith("inventory-0");
            assertThat(streams.getRestoreConsumerConfigs("restore")).doesNotContainKey("group.instance.id");
        }

        @Test
        void shouldLeaveTheStoresAndTheCommitsAsKafkaStreamsHasThemUnderAtLeastOnce() {
            final Properties props = ServiceConfig.from(Map.of("PROCESSING_GUARANTEE", "at_least_once"))
                .streamsProperties();

            assertThat(props).doesNotContainKeys("enable.transactional.statestores",
                "default.interactive.query.isolation.level");
        }

        @Test
        void shouldHandTheSeedTimeoutsAndProducerSettingsToTheClientsKafkaStreamsBuilds() {
            // given
            final StreamsConfig streams = new StreamsConfig(config.streamsProperties());

            // when
            final Map<String, Object> producer = streams.getProducerConfigs("inventory-service-producer");
            final Map<String, Object> consumer = streams.getMainConsumerConfigs("inventory-service-group",
                "inventory-service-consumer", 0);
            final Map<String, Object> admin = streams.getAdminConfigs("inventory-service-admin");

            // then
            assertThat(producer).containsEntry("retries", 8).containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all").containsEntry("request.timeout.ms", 30_000)
                .containsEntry("retry.backoff.ms", 300).containsEntry("retry.backoff.max.ms", 30_000)
                .containsEntry("socket.connection.setup.timeout.ms", 10_000);
            assertThat(consumer).containsEntry("isolation.level", "read_committed")
                .containsEntry("request.timeout.ms", 30_000).containsEntry("retry.backoff.ms", 300);
            assertThat(admin).containsEntry("request.timeout.ms", 30_000)
                .containsEntry("socket.connection.setup.timeout.ms", 10_000);
        }

        @Test
        void shouldGiveTheServicesOwnClientsTheConnectionSettings() {
            // when
            final Properties props = config.clientProperties();

            // then
            assertThat(props).containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("client.id", "inventory-service-admin")
                .containsEntry("request.timeout.ms", 30_000)
                .containsEntry("socket.connection.setup.timeout.ms", 10_000)
                .containsEntry("retry.backoff.ms", 300)
                .containsEntry("retry.backoff.max.ms", 30_000)
                .doesNotContainKey("security.protocol");
        }
    }

    @Nested
    class Variables {

        @Test
        void shouldReadEveryVariable() {
            // given
            final Map<String, String> env = env(
                "KAFKA_CLIENT_ID", "inventory-1",
                "KAFKA_BROKERS", "kafka-1:9092,kafka-2:9092",
                "KAFKA_CONNECTION_TIMEOUT", "5000",
                "KAFKA_REQUEST_TIMEOUT", "20000",
                "KAFKA_RETRY_MAX_TIME", "60000",
                "KAFKA_RETRY_INITIAL_TIME", "100",
                "KAFKA_RETRY_COUNT", "3",
                "APPLICATION_ID", "inventory-test",
                "STATE_DIR", "/var/lib/inventory",
                "HTTP_PORT", "9090",
                "ADVERTISED_HOST", "inventory-1.internal",
                "TOPIC_PARTITIONS", "6",
                "TOPIC_REPLICATION_FACTOR", "3",
                "TOPIC_MIN_INSYNC_REPLICAS", "2",
                "NUM_STANDBY_REPLICAS", "1",
                "PROCESSING_GUARANTEE", "at_least_once",
                "RETENTION", "PT12H",
                "CREATE_TOPICS", "false",
                "LOG_FORMAT", "json",
                "LOG_LEVEL", "DEBUG");

            // when
            final ServiceConfig config = ServiceConfig.from(env);

            // then
            assertThat(config).isEqualTo(new ServiceConfig("inventory-1", "kafka-1:9092,kafka-2:9092", 5000, 20_000,
                60_000, 100, 3, "inventory-test", Path.of("/var/lib/inventory"), 9090, "inventory-1.internal", 6,
                Optional.of((short) 3), Optional.of(2), 1, "at_least_once", Optional.empty(), Duration.ofHours(12), Optional.empty(),
                Deadlines.DEFAULT_DECISION_TIMEOUT, false, Optional.empty(), false,
                ServiceConfig.DEFAULT_WRITE_TIMEOUT, BoundedRocksDbConfig.DEFAULT_BLOCK_CACHE_MB,
                BoundedRocksDbConfig.DEFAULT_WRITE_BUFFER_MB,
                new LogSettings(LogSettings.Format.JSON, LogSettings.Level.DEBUG), Map.of()));
        }

        @Test
        void shouldMapEveryVariableOntoKafkaStreamsProperties() {
            // given
            final ServiceConfig config = ServiceConfig.from(env(
                "KAFKA_CLIENT_ID", "inventory-1",
                "KAFKA_BROKERS", "kafka-1:9092",
                "KAFKA_CONNECTION_TIMEOUT", "45000",
                "KAFKA_REQUEST_TIMEOUT", "20000",
                "KAFKA_RETRY_MAX_TIME", "60000",
                "KAFKA_RETRY_INITIAL_TIME", "100",
                "KAFKA_RETRY_COUNT", "3",
                "STATE_DIR", "/var/lib/inventory",
                "HTTP_PORT", "9090",
                "ADVERTISED_HOST", "inventory-1.internal",
                "TOPIC_REPLICATION_FACTOR", "3",
                "TOPIC_MIN_INSYNC_REPLICAS", "2",
                "NUM_STANDBY_REPLICAS", "1",
                "PROCESSING_GUARANTEE", "at_least_once"));

            // when
            final Properties props = config.streamsProperties();

            // then
            assertThat(props).containsEntry("client.id", "inventory-1")
                .containsEntry("bootstrap.servers", "kafka-1:9092")
                .containsEntry("state.dir", Path.of("/var/lib/inventory").toString())
                .containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("num.standby.replicas", 1)
                .containsEntry("replication.factor", 3)
                .containsEntry("topic.min.insync.replicas", 2)
                .containsEntry("application.server", "inventory-1.internal:9090")
                .containsEntry("request.timeout.ms", 20_000)
                .containsEntry("socket.connection.setup.timeout.ms", 45_000)
                .containsEntry("socket.connection.setup.timeout.max.ms", 45_000)
                .containsEntry("retry.backoff.ms", 100)
                .containsEntry("retry.backoff.max.ms", 60_000)
                .containsEntry("producer.retries", 3)
                .containsEntry("admin.retries", 3);
        }

        @Test
        void shouldTrimValuesAndAcceptBooleansInAnyCase() {
            // when
            final ServiceConfig config = ServiceConfig.from(env("HTTP_PORT", " 9090 ", "KAFKA_BROKERS",
                " kafka:9092 ", "CREATE_TOPICS", "FALSE", "RETENTION", " P1D "));

            // then
            assertThat(config.httpPort()).isEqualTo(9090);
            assertThat(config.brokers()).isEqualTo("kafka:9092");
            assertThat(config.createTopics()).isFalse();
            assertThat(config.retention()).isEqualTo(Duration.ofDays(1));
        }

        @Test
        void shouldAcceptPortZeroForAnEphemeralPort() {
            // when / then
            assertThat(ServiceConfig.from(env("HTTP_PORT", "0")).httpPort()).isZero();
        }
    }

    @Nested
    class TopicReplication {

        @Test
        void shouldLeaveTheReplicationFactorOfEveryTopicToTheBrokerByDefault() {
            // given
            final StreamsConfig streams = new StreamsConfig(ServiceConfig.from(env()).streamsProperties());

            // then: -1 is the broker's default.replication.factor for every internal topic
            assertThat(streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(-1);
            assertThat(streams.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX)).isEmpty();
        }

        @Test
        void shouldGiveEveryInternalTopicTheOperatorsMinInSyncReplicas() {
            // given
            final StreamsConfig streams = new StreamsConfig(ServiceConfig.from(env("TOPIC_MIN_INSYNC_REPLICAS", "2"))
                .streamsProperties());

            // then: Kafka Streams applies topic.* to the changelogs and repartition topics it creates
            assertThat(streams.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(-1);
            assertThat(streams.originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .containsExactlyEntriesOf(Map.of("min.insync.replicas", 2));
        }

        @Test
        void shouldAcceptInSyncReplicasWithoutAReplicationFactorLeavingTheCheckToTheBroker() {
            // when
            final ServiceConfig config = ServiceConfig.from(env("TOPIC_MIN_INSYNC_REPLICAS", "2"));

            // then
            assertThat(config.replicationFactor()).isEmpty();
            assertThat(config.minInsyncReplicas()).hasValue(2);
        }

        @Test
        void shouldReadAReplicationFactorOfOneWhenTheOperatorAsksForIt() {
            // when
            final ServiceConfig config = ServiceConfig.from(env("TOPIC_REPLICATION_FACTOR", "1",
                "TOPIC_MIN_INSYNC_REPLICAS", "1"));

            // then
            assertThat(config.replicationFactor()).hasValue((short) 1);
            assertThat(config.streamsProperties()).containsEntry("replication.factor", 1)
                .containsEntry("topic.min.insync.replicas", 1);
        }
    }

    @Nested
    class Logging {

        @Test
        void shouldReadTheLevelInAnyCaseAsLogbackDoes() {
            // when / then
            assertThat(ServiceConfig.from(env("LOG_LEVEL", "debug")).logging().level())
                .isEqualTo(LogSettings.Level.DEBUG);
            assertThat(ServiceConfig.from(env("LOG_LEVEL", " Warn ")).logging().level())
                .isEqualTo(LogSettings.Level.WARN);
        }

        @Test
        void shouldNameTheAllowedValuesOfAnInvalidFormat() {
            // when / then
            assertThatThrownBy(() -> ServiceConfig.from(env("LOG_FORMAT", "bogus")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LOG_FORMAT: must be one of text, json, got 'bogus'");
            assertThatThrownBy(() -> ServiceConfig.from(env("LOG_LEVEL", "verbose")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LOG_LEVEL: must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got 'verbose'");
        }

        @Test
        void shouldReadTheLogSettingsFromTheConfigFileUnderTheEnvironment() throws IOException {
            // given
            final Path file = file("LOG_FORMAT=json\nLOG_LEVEL=WARN\n");

            // when
            final ServiceConfig fromFile = ServiceConfig.from(env("CONFIG_FILE", file.toString()));
            final ServiceConfig overridden = ServiceConfig.from(env("CONFIG_FILE", file.toString(),
                "LOG_LEVEL", "TRACE"));

            // then
            assertThat(fromFile.logging()).isEqualTo(new LogSettings(LogSettings.Format.JSON,
                LogSettings.Level.WARN));
            assertThat(overridden.logging()).isEqualTo(new LogSettings(LogSettings.Format.JSON,
                LogSettings.Level.TRACE));
        }

        @Test
        void shouldRefuseAnInvalidFormatFromTheConfigFile() throws IOException {
            // given
            final Path file = file("LOG_FORMAT=jsn\n");

            // when / then
            assertThatThrownBy(() -> ServiceConfig.from(env("CONFIG_FILE", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("LOG_FORMAT");
        }
    }

    @Nested
    class HttpSecurity {

        @Test
        void shouldReadTheTokenWithoutEverPrintingIt() {
            final ServiceConfig config = ServiceConfig.from(env("HTTP_AUTH_TOKEN", "  t0ps3cret  ",
                "HTTP_AUTH_READS", "true", "HTTP_WRITE_TIMEOUT", "PT2S"));

            assertThat(config.httpAuthToken()).hasValueSatisfying(token -> {
                assertThat(token.matches("t0ps3cret")).isTrue();
                assertThat(token.matches("t0ps3cre")).isFalse();
                assertThat(token.matches("t0ps3cretx")).isFalse();
                assertThat(token.matches(null)).isFalse();
            });
            assertThat(config.httpAuthReads()).isTrue();
            assertThat(config.httpWriteTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.toString()).doesNotContain("t0ps3cret").contains("[redacted]");
        }

        @Test
        void shouldRunWithoutAuthenticationByDefault() {
            final ServiceConfig config = ServiceConfig.from(env());

            assertThat(config.httpAuthToken()).isEmpty();
            assertThat(config.httpAuthReads()).isFalse();
            assertThat(config.httpWriteTimeout()).isEqualTo(ServiceConfig.DEFAULT_WRITE_TIMEOUT);
        }

        @Test
        void shouldRefuseABlankTokenRatherThanTurnAuthenticationOff() {
            assertThatThrownBy(() -> ServiceConfig.from(env("HTTP_AUTH_TOKEN", "   ")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("HTTP_AUTH_TOKEN: must not be blank when set");
        }
    }

    @Nested
    class InvalidValues {

        static Stream<Arguments> invalidSettings() {
            return Stream.of(
                Arguments.of("HTTP_PORT", "abc"),
                Arguments.of("HTTP_PORT", "-1"),
                Arguments.of("HTTP_PORT", "99999999999"),
                Arguments.of("HTTP_PORT", ""),
                Arguments.of("KAFKA_RETRY_COUNT", "-1"),
                Arguments.of("KAFKA_CONNECTION_TIMEOUT", "0"),
                Arguments.of("KAFKA_REQUEST_TIMEOUT", "30s"),
                Arguments.of("KAFKA_RETRY_MAX_TIME", "1.5"),
                Arguments.of("KAFKA_RETRY_INITIAL_TIME", "0"),
                Arguments.of("TOPIC_PARTITIONS", "0"),
                Arguments.of("TOPIC_REPLICATION_FACTOR", "0"),
                Arguments.of("TOPIC_REPLICATION_FACTOR", "-1"),
                Arguments.of("TOPIC_REPLICATION_FACTOR", ""),
                Arguments.of("TOPIC_MIN_INSYNC_REPLICAS", "0"),
                Arguments.of("TOPIC_MIN_INSYNC_REPLICAS", "two"),
                Arguments.of("TOPIC_MIN_INSYNC_REPLICAS", " "),
                Arguments.of("NUM_STANDBY_REPLICAS", "-1"),
                Arguments.of("PROCESSING_GUARANTEE", "maybe"),
                Arguments.of("PROCESSING_GUARANTEE", "exactly_once"),
                Arguments.of("PROCESSING_GUARANTEE", " "),
                Arguments.of("RETENTION", "7 days"),
                Arguments.of("RETENTION", "PT0S"),
                Arguments.of("RETENTION", "-P1D"),
                Arguments.of("CREATE_TOPICS", "yes"),
                Arguments.of("KAFKA_BROKERS", ""),
                Arguments.of("KAFKA_BROKERS", "   "),
                Arguments.of("KAFKA_CLIENT_ID", " "),
                Arguments.of("APPLICATION_ID", ""),
                Arguments.of("STATE_DIR", " "),
                Arguments.of("ADVERTISED_HOST", ""),
                Arguments.of("CONFIG_FILE", "/no/such/dir/service.properties"),
                Arguments.of("LOG_FORMAT", "bogus"),
                Arguments.of("LOG_FORMAT", "logstash"),
                Arguments.of("LOG_FORMAT", ""),
                Arguments.of("LOG_LEVEL", "verbose"),
                Arguments.of("LOG_LEVEL", "ALL"),
                Arguments.of("LOG_LEVEL", " "),
                Arguments.of("LOG_LEVEL", "INFO\nERROR"));
        }

        @ParameterizedTest(name = "{0}=''{1}''")
        @MethodSource("invalidSettings")
        void shouldRefuseAnInvalidValueWithAOneLineMessageNamingTheVariable(final String name, final String value) {
            // when
            final Throwable thrown = catchThrowable(() -> ServiceConfig.from(env(name, value)));

            // then
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).startsWith(name).doesNotContain("\n", "\r");
        }

        @Test
        void shouldRefuseADirectoryAsConfigFile() {
            // when / then
            assertThatThrownBy(() -> ServiceConfig.from(env("CONFIG_FILE", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CONFIG_FILE");
        }

        @Test
        void shouldRefuseAnInvalidValueFromTheFileNamingTheSetting() throws IOException {
            // given
            final Path file = file("HTTP_PORT=eighty\n");

            // when / then
            assertThatThrownBy(() -> ServiceConfig.from(env("CONFIG_FILE", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HTTP_PORT");
        }

        @Test
        void shouldRefuseAConfigFileWithAMalformedEscape() throws IOException {
            // given
            final Path file = file("ADVERTISED_HOST=caf\\u00e\n");

            // when
            final Throwable thrown = catchThrowable(() -> ServiceConfig.from(env("CONFIG_FILE", file.toString())));

            // then
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).startsWith("CONFIG_FILE").doesNotContain("\n");
        }

        @Test
        void shouldRefuseAReplicationFactorThatDoesNotFitAShort() {
            // when
            final Throwable thrown = catchThrowable(() ->
                ServiceConfig.from(env("TOPIC_REPLICATION_FACTOR", "32768")));

            // then
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).startsWith("TOPIC_REPLICATION_FACTOR");
        }

        @Test
        void shouldRefuseMoreInSyncReplicasThanReplicas() {
            // when
            final Throwable thrown = catchThrowable(() -> ServiceConfig.from(env("TOPIC_REPLICATION_FACTOR", "2",
                "TOPIC_MIN_INSYNC_REPLICAS", "3")));

            // then
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).isEqualTo(
                "TOPIC_MIN_INSYNC_REPLICAS: must be at most TOPIC_REPLICATION_FACTOR (2), got '3'");
        }

        @Test
        void shouldRefuseAPortAbove65535() {
            // when
            final Throwable thrown = catchThrowable(() -> ServiceConfig.from(env("HTTP_PORT", "65536")));

            // then
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).startsWith("HTTP_PORT");
        }

        @Test
        void shouldNotAcceptARetryCountThatTheIdempotentProducerRefuses() {
            // when
            final Throwable thrown = catchThrowable(() -> {
                final ServiceConfig config = ServiceConfig.from(env("KAFKA_RETRY_COUNT", "0"));
                final Map<String, Object> producer = new StreamsConfig(config.streamsProperties())
                    .getProducerConfigs("inventory-service-producer");
                producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
                new ProducerConfig(producer);
            });

            // then: either the service refuses the value itself, or Kafka accepts what the service accepted
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(ConfigException.class);
                assertThat(thrown.getMessage()).startsWith("KAFKA_RETRY_COUNT");
            }
        }

        @Test
        void shouldKeepTheMessageOnOneLineForAValueWithATrailingNewline() {
            // when
            final Throwable thrown = catchThrowable(() -> ServiceConfig.from(env("HTTP_PORT", "eighty\n")));

            // then
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).startsWith("HTTP_PORT").doesNotContain("\n");
        }
    }

    @Nested
    class PassThrough {

        @Test
        void shouldPassAStreamsVariableToKafkaStreamsAndTheServicesOwnClients() {
            // when
            final ServiceConfig config = ServiceConfig.from(env("STREAMS_SECURITY_PROTOCOL", "SASL_SSL",
                "STREAMS_SASL_MECHANISM", "SCRAM-SHA-512", "STREAMS_SASL_JAAS_CONFIG", JAAS));

            // then
            assertThat(config.kafkaOverrides()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS));
            assertThat(config.streamsProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS);
            assertThat(config.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", JAAS);
        }

        @Test
        void shouldPassAKafkaKeyFromTheFile() throws IOException {
            // given
            final Path file = file("kafka.ssl.truststore.location=/app/secrets/kafka.truststore.jks\n"
                + "kafka.commit.interval.ms=100\n");

            // when
            final ServiceConfig config = ServiceConfig.from(env("CONFIG_FILE", file.toString()));

            // then
            assertThat(config.streamsProperties())
                .containsEntry("ssl.truststore.location", "/app/secrets/kafka.truststore.jks")
                .containsEntry("commit.interval.ms", "100");
            assertThat(config.clientProperties())
                .containsEntry("ssl.truststore.location", "/app/secrets/kafka.truststore.jks");
        }

        @Test
        void shouldKeepStreamsOnlySettingsAwayFromTheServicesOwnClients() {
            // when
            final ServiceConfig config = ServiceConfig.from(env("STREAMS_COMMIT_INTERVAL_MS", "100",
                "STREAMS_NUM_STREAM_THREADS", "2"));

            // then
            assertThat(config.streamsProperties()).containsEntry("commit.interval.ms", "100")
                .containsEntry("num.stream.threads", "2");
            assertThat(config.clientProperties()).doesNotContainKeys("commit.interval.ms", "num.stream.threads");
        }

        @Test
        void shouldLetAPassThroughWinOverTheComputedSetting() {
            // when
            final Properties props = ServiceConfig.from(env("STREAMS_REQUEST_TIMEOUT_MS", "5000",
                "STREAMS_PRODUCER_ACKS", "1")).streamsProperties();

            // then
            assertThat(props).containsEntry("request.timeout.ms", "5000").containsEntry("producer.acks", "1");
        }

        @Test
        void shouldIgnoreTheBarePrefix() {
            // when / then
            assertThat(ServiceConfig.from(env("STREAMS_", "x")).kafkaOverrides()).isEmpty();
        }
    }

    @Nested
    class ConfigFile {

        @Test
        void shouldReadSettingsFromTheFileTrimmed() throws IOException {
            // given
            final Path file = file("KAFKA_BROKERS = kafka-1:9092  \nHTTP_PORT=9090\nRETENTION=P3D\n# comment\n");

            // when
            final ServiceConfig config = ServiceConfig.from(env("CONFIG_FILE", file.toString()));

            // then
            assertThat(config.brokers()).isEqualTo("kafka-1:9092");
            assertThat(config.httpPort()).isEqualTo(9090);
            assertThat(config.retention()).isEqualTo(Duration.ofDays(3));
        }

        @Test
        void shouldLetTheEnvironmentOverrideTheFile() throws IOException {
            // given
            final Path file = file("KAFKA_BROKERS=kafka-1:9092\nHTTP_PORT=9090\n"
                + "kafka.security.protocol=SSL\nkafka.sasl.mechanism=PLAIN\n");

            // when
            final ServiceConfig config = ServiceConfig.from(env("CONFIG_FILE", file.toString(), "HTTP_PORT", "9191",
                "STREAMS_SECURITY_PROTOCOL", "SASL_SSL"));

            // then
            assertThat(config.httpPort()).isEqualTo(9191);
            assertThat(config.brokers()).isEqualTo("kafka-1:9092");
            assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
            assertThat(config.streamsProperties()).containsEntry("security.protocol", "SASL_SSL");
            assertThat(config.clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        }

        @Test
        void shouldIgnoreABlankConfigFileVariable() {
            // when / then
            assertThat(ServiceConfig.from(env("CONFIG_FILE", " "))).isEqualTo(ServiceConfig.from(Map.of()));
        }

        @Test
        void shouldReadTheShippedProductionProfile() {
            // when
            final ServiceConfig config = ServiceConfig.from(env("CONFIG_FILE", "config/production.properties"));

            // then
            assertThat(config.processingGuarantee()).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
            assertThat(config.applicationId()).isEqualTo("inventory-service-group");
            assertThat(config.replicationFactor()).hasValue((short) 3);
            assertThat(config.standbyReplicas()).isEqualTo(1);
        }
    }

    @Nested
    class SecuredCluster {

        private final ServiceConfig config = ServiceConfig.from(env(
            "STREAMS_SECURITY_PROTOCOL", "SASL_SSL",
            "STREAMS_SASL_MECHANISM", "SCRAM-SHA-512",
            "STREAMS_SASL_JAAS_CONFIG", JAAS,
            "STREAMS_SSL_TRUSTSTORE_LOCATION", "/app/secrets/kafka.truststore.jks"));

        private Stream<Map<String, Object>> everyClient() {
            final StreamsConfig streams = new StreamsConfig(config.streamsProperties());
            return Stream.of(
                streams.getMainConsumerConfigs("inventory-service-group", "inventory-service-consumer", 0),
                streams.getRestoreConsumerConfigs("inventory-service-restore-consumer"),
                streams.getGlobalConsumerConfigs("inventory-service-global-consumer"),
                streams.getProducerConfigs("inventory-service-producer"),
                streams.getAdminConfigs("inventory-service-admin"));
        }

        @Test
        void shouldGiveEveryClientKafkaStreamsBuildsTheSecuritySettings() {
            // when / then
            assertThat(everyClient()).hasSize(5).allSatisfy(client -> assertThat(client)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/app/secrets/kafka.truststore.jks"));
        }

        @Test
        void shouldGiveEveryClientKafkaStreamsBuildsSslWhenConfiguredInTheFile() throws IOException {
            // given
            final Path file = file("kafka.security.protocol=SSL\n");
            final StreamsConfig streams = new StreamsConfig(
                ServiceConfig.from(env("CONFIG_FILE", file.toString())).streamsProperties());

            // when / then
            assertThat(Stream.of(
                streams.getMainConsumerConfigs("group", "consumer", 0),
                streams.getRestoreConsumerConfigs("restore"),
                streams.getProducerConfigs("producer"),
                streams.getAdminConfigs("admin")))
                .allSatisfy(client -> assertThat(client).containsEntry("security.protocol", "SSL"));
        }
    }
}
