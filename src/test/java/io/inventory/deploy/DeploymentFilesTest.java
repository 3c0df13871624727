package io.inventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inventory.config.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the deployment files without a Docker engine: {@code docker-compose.yml} is read with a small
 * line-oriented reader (no YAML library on the classpath), and the {@code config/} profiles are loaded through
 * {@link ServiceConfig}. The reader understands only the layout that compose file uses: two-space-indented
 * service names under {@code services:}, four-space-indented keys, and {@code KEY: value} or {@code - KEY=value}
 * entries under {@code environment:}. It is not a YAML parser; if the file's layout changes, these tests fail
 * loudly rather than pass by accident (every lookup asserts that it found something).
 */
class DeploymentFilesTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path LOCAL = Path.of("config", "local.properties");
    private static final Path PRODUCTION = Path.of("config", "production.properties");
    private static final String WRITE_TOKEN = "WRITE_TOKEN";
    private static final Path SERVICE_CONFIG_SOURCE =
        Path.of("src", "main", "java", "io", "inventory", "config", "ServiceConfig.java");

    private static Compose compose;
    private static List<Service> brokers;
    private static List<Service> instances;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = Compose.parse(Files.readAllLines(COMPOSE));
        brokers = compose.services().stream()
            .filter(s -> s.scalar("image").startsWith("apache/kafka:"))
            .collect(Collectors.toList());
        instances = compose.services().stream()
            .filter(s -> s.scalar("image").equals("inventory-service:latest"))
            .collect(Collectors.toList());
    }

    // --- docker-compose.yml: the Kafka cluster ---

    @Test
    void shouldDefineExactlyThreeKafkaBrokersFromTheOfficialImage() {
        assertThat(compose.services()).extracting(Service::name)
            .containsExactlyInAnyOrder("kafka-1", "kafka-2", "kafka-3", "inventory-1", "inventory-2");
        assertThat(brokers).extracting(Service::name).containsExactly("kafka-1", "kafka-2", "kafka-3");
        assertThat(brokers).extracting(s -> s.scalar("image")).containsOnly("apache/kafka:4.1.0");
    }

    @Test
    void shouldRunEveryBrokerAsCombinedKraftNodeWithDistinctNodeIdsAndOneQuorum() {
        assertThat(brokers).extracting(s -> s.env("KAFKA_NODE_ID")).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(brokers).extracting(s -> s.env("KAFKA_PROCESS_ROLES")).containsOnly("broker,controller");
        assertThat(brokers).extracting(s -> s.env("CLUSTER_ID")).hasSize(3).containsOnly(brokers.get(0)
            .env("CLUSTER_ID"));

        final String voters = brokers.get(0).env("KAFKA_CONTROLLER_QUORUM_VOTERS");
        assertThat(brokers).extracting(s -> s.env("KAFKA_CONTROLLER_QUORUM_VOTERS")).containsOnly(voters);
        // Every broker is a voter, under its own node id and its service name, on its controller listener.
        for (final Service broker : brokers) {
            final String controllerPort = listenerPort(broker.env("KAFKA_LISTENERS"), "CONTROLLER");
            assertThat(voters.split(","))
                .contains(broker.env("KAFKA_NODE_ID") + "@" + broker.name() + ":" + controllerPort);
        }
        assertThat(voters.split(",")).hasSize(3);
    }

    @Test
    void shouldAdvertiseEachBrokerUnderItsServiceName() {
        for (final Service broker : brokers) {
            assertThat(broker.env("KAFKA_ADVERTISED_LISTENERS"))
                .isEqualTo("PLAINTEXT://" + broker.name() + ":" + listenerPort(broker.env("KAFKA_LISTENERS"),
                    "PLAINTEXT"));
            assertThat(broker.env("KAFKA_CONTROLLER_LISTENER_NAMES")).isEqualTo("CONTROLLER");
            assertThat(broker.env("KAFKA_INTER_BROKER_LISTENER_NAME")).isEqualTo("PLAINTEXT");
        }
    }

    @Test
    void shouldReplicateEveryTopicThreeTimesWithMinInSyncReplicasTwo() {
        for (final Service broker : brokers) {
            assertThat(broker.env("KAFKA_DEFAULT_REPLICATION_FACTOR")).as(broker.name()).isEqualTo("3");
            assertThat(broker.env("KAFKA_MIN_INSYNC_REPLICAS")).as(broker.name()).isEqualTo("2");
            assertThat(broker.env("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).as(broker.name()).isEqualTo("3");
            assertThat(broker.env("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).as(broker.name())
                .isEqualTo("3");
            assertThat(broker.env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(broker.name()).isEqualTo("2");
            assertThat(broker.env("KAFKA_NUM_PARTITIONS")).as(broker.name()).isEqualTo("3");
            assertThat(broker.env("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).as(broker.name()).isEqualTo("false");
        }
    }

    @Test
    void shouldGiveEveryBrokerAHealthcheckAndItsOwnNamedVolume() {
        for (final Service broker : brokers) {
            assertThat(broker.section("healthcheck")).as(broker.name())
                .anySatisfy(line -> assertThat(line).contains("kafka-broker-api-versions.sh"));
            assertThat(broker.volumeMounts()).as(broker.name())
                .containsExactly(Map.entry(broker.name() + "-data", broker.env("KAFKA_LOG_DIRS")));
            assertThat(compose.volumes()).contains(broker.name() + "-data");
        }
    }

    // --- docker-compose.yml: the service instances ---

    @Test
    void shouldRunTwoInstancesOfOneApplicationWithDistinctIdentities() {
        assertThat(instances).extracting(Service::name).containsExactly("inventory-1", "inventory-2");
        assertThat(instances).extracting(s -> s.env("APPLICATION_ID")).containsOnly("inventory-service-group");
        assertThat(instances).extracting(s -> s.env("KAFKA_CLIENT_ID")).doesNotHaveDuplicates().hasSize(2);
        // Static membership: two instances under one INSTANCE_ID would fence each other.
        assertThat(instances).extracting(s -> s.env("INSTANCE_ID")).doesNotContainNull().doesNotHaveDuplicates();
        // ADVERTISED_HOST is how the other instance reaches this one: its own service name.
        assertThat(instances).allSatisfy(s -> assertThat(s.env("ADVERTISED_HOST")).isEqualTo(s.name()));
        assertThat(instances).allSatisfy(s -> assertThat(s.section("build")).isNotEmpty());
    }

    @Test
    void shouldConnectEveryInstanceToAllThreeBrokers() {
        final Set<String> brokerAddresses = brokers.stream()
            .map(b -> b.name() + ":" + listenerPort(b.env("KAFKA_LISTENERS"), "PLAINTEXT"))
            .collect(Collectors.toCollection(TreeSet::new));
        for (final Service instance : instances) {
            assertThat(new TreeSet<>(List.of(instance.env("KAFKA_BROKERS").split(","))))
                .as(instance.name()).isEqualTo(brokerAddresses);
            assertThat(instance.dependsOn()).as(instance.name())
                .containsExactlyInAnyOrderEntriesOf(Map.of("kafka-1", "service_healthy", "kafka-2",
                    "service_healthy", "kafka-3", "service_healthy"));
        }
    }

    @Test
    void shouldConfigureInstancesForAReplicatedClusterWithStandbys() {
        for (final Service instance : instances) {
            assertThat(instance.env("TOPIC_REPLICATION_FACTOR")).as(instance.name()).isEqualTo("3");
            assertThat(instance.env("TOPIC_PARTITIONS")).as(instance.name()).isEqualTo("3");
            assertThat(instance.env("NUM_STANDBY_REPLICAS")).as(instance.name()).isEqualTo("1");
            assertThat(instance.env("HTTP_PORT")).as(instance.name()).isEqualTo("8080");
            assertThat(instance.env("CONFIG_FILE")).as(instance.name())
                .isEqualTo("/app/config/production.properties");
        }
    }

    @Test
    void shouldPublishDistinctHostPortsAndPersistStateInNamedVolumes() {
        final List<String> hostPorts = new ArrayList<>();
        for (final Service instance : instances) {
            final List<String> ports = instance.listItems("ports");
            assertThat(ports).as(instance.name()).hasSize(1);
            final String[] mapping = ports.get(0).split(":");
            assertThat(mapping[1]).as(instance.name()).isEqualTo(instance.env("HTTP_PORT"));
            hostPorts.add(mapping[0]);

            assertThat(instance.volumeMounts()).as(instance.name())
                .containsExactly(Map.entry(instance.name() + "-state", instance.env("STATE_DIR")));
            assertThat(compose.volumes()).contains(instance.name() + "-state");
        }
        assertThat(hostPorts).containsExactly("8081", "8082");
    }

    @Test
    void shouldCheckReadinessOfEveryInstance() {
        for (final Service instance : instances) {
            assertThat(instance.section("healthcheck")).as(instance.name())
                .anySatisfy(line -> assertThat(line)
                    .contains("http://localhost:" + instance.env("HTTP_PORT") + "/health/ready"));
        }
    }

    @Test
    void shouldUseOnlyVariablesServiceConfigKnowsForTheInstances() throws IOException {
        final Set<String> known = knownVariables();
        for (final Service instance : instances) {
            assertThat(instance.environment().keySet()).as(instance.name())
                .allSatisfy(name -> assertThat(known).contains(name));
        }
    }

    @Test
    void shouldTakeTheWriteTokenFromTheOperatorsEnvironmentWithNoDefault() throws IOException {
        for (final Service instance : instances) {
            // ${VAR:?message}: compose refuses to start when WRITE_TOKEN is unset or empty.
            assertThat(instance.env("HTTP_AUTH_TOKEN")).as(instance.name())
                .matches("\\$\\{" + WRITE_TOKEN + ":\\?[^}]+}");
        }
        // No default anywhere (${WRITE_TOKEN:-x}, ${WRITE_TOKEN-x}), and the token is named only by the instances.
        final String text = Files.readString(COMPOSE);
        assertThat(text).doesNotContain("${" + WRITE_TOKEN + ":-", "${" + WRITE_TOKEN + "-");
        assertThat(Pattern.compile("HTTP_AUTH_TOKEN").matcher(text).results().count()).isEqualTo(instances.size());
    }

    @Test
    void shouldDocumentTheWriteTokenInTheComposeHeaderAndTheReadme() throws IOException {
        final String header = Files.readAllLines(COMPOSE).stream().takeWhile(line -> line.startsWith("#"))
            .collect(Collectors.joining("\n"));
        assertThat(header).contains("export " + WRITE_TOKEN + "=", "Bearer $" + WRITE_TOKEN);
        assertThat(Files.readString(Path.of("README.md"))).contains(WRITE_TOKEN + "=");
        assertThat(Files.readAllLines(Path.of(".gitignore"))).contains(".env");
    }

    @Test
    void shouldLoadTheInstanceEnvironmentOverTheProductionProfile() {
        for (final Service instance : instances) {
            final Map<String, String> env = interpolate(instance.environment(), Map.of(WRITE_TOKEN, "t0ps3cret"));
            env.put("CONFIG_FILE", PRODUCTION.toString()); // the container's /app/config, as seen from here
            final ServiceConfig config = ServiceConfig.from(env);
            assertThat(config.httpAuthToken()).as(instance.name())
                .hasValueSatisfying(token -> assertThat(token.matches("t0ps3cret")).isTrue());
            assertThat(config.advertisedEndpoint()).isEqualTo(instance.name() + ":8080");
            assertThat(config.brokers()).isEqualTo(instance.env("KAFKA_BROKERS"));
            assertThat(config.replicationFactor()).hasValue((short) 3);
            assertThat(config.standbyReplicas()).isEqualTo(1);
            assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/inventory"));
        }
    }

    // --- Dockerfile ---

    @Test
    void shouldBuildTheImageFromTheRunnableJarAsANonRootUser() throws IOException {
        final List<String> lines = Files.readAllLines(DOCKERFILE).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .collect(Collectors.toList());
        assertThat(lines.get(0)).isEqualTo("FROM eclipse-temurin:17-jre");
        assertThat(lines).contains("COPY target/inventory-service.jar /app/inventory-service.jar",
            "COPY config/ /app/config/", "EXPOSE 8080",
            "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/inventory-service.jar\"]");
        final List<String> users = lines.stream().filter(line -> line.startsWith("USER ")).collect(
            Collectors.toList());
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).isNotIn("USER root", "USER 0");
        // The state directory the compose volumes mount over exists in the image, owned by that user.
        assertThat(String.join("\n", lines)).contains("chown inventory:inventory /var/lib/inventory");
    }

    // --- config/ profiles ---

    @Test
    void shouldLoadTheLocalProfile() {
        assertThatCode(() -> ServiceConfig.from(Map.of("CONFIG_FILE", LOCAL.toString())))
            .doesNotThrowAnyException();
        final ServiceConfig local = ServiceConfig.from(Map.of("CONFIG_FILE", LOCAL.toString()));
        assertThat(local.brokers()).isEqualTo("localhost:9092");
        assertThat(local.replicationFactor()).hasValue((short) 1);
        assertThat(local.processingGuarantee()).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldLoadTheProductionProfileWithReplicationThreeAndOneStandby() {
        assertThatCode(() -> ServiceConfig.from(Map.of("CONFIG_FILE", PRODUCTION.toString())))
            .doesNotThrowAnyException();
        final ServiceConfig production = ServiceConfig.from(Map.of("CONFIG_FILE", PRODUCTION.toString()));
        assertThat(production.replicationFactor()).hasValue((short) 3);
        assertThat(production.standbyReplicas()).isEqualTo(1);
        assertThat(production.topicPartitions()).isEqualTo(3);
        assertThat(production.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(production.retention()).hasDays(7);
        // The security examples are comments: a plaintext cluster gets no security overrides.
        assertThat(production.kafkaOverrides()).isEmpty();
    }

    @Test
    void shouldUseOnlyKnownVariablesOrKafkaPassThroughKeysInTheProfiles() throws IOException {
        final Set<String> known = knownVariables();
        for (final Path profile : List.of(LOCAL, PRODUCTION)) {
            final Properties props = new Properties();
            try (var in = Files.newInputStream(profile)) {
                props.load(in);
            }
            assertThat(props.stringPropertyNames()).as(profile.toString()).isNotEmpty()
                .allSatisfy(key -> assertThat(known.contains(key) || key.startsWith("kafka."))
                    .as("%s: unknown key %s", profile, key).isTrue());
        }
    }

    @Test
    void shouldShowCommentedSecurityPassThroughExamplesInTheProductionProfile() throws IOException {
        final String text = Files.readString(PRODUCTION);
        assertThat(text).contains("#kafka.security.protocol=SASL_SSL", "#kafka.sasl.mechanism=",
            "#kafka.sasl.jaas.config=", "#kafka.ssl.truststore.location=");
    }

    // --- helpers ---

    /**
     * The variable names ServiceConfig reads, taken from its source: every string literal that looks like an
     * environment variable name ({@code "KAFKA_BROKERS"}); prefixes such as {@code "STREAMS_"} are excluded.
     */
    static Set<String> knownVariables() throws IOException {
        final Matcher m = Pattern.compile("\"([A-Z][A-Z0-9_]*[A-Z0-9])\"").matcher(
            Files.readString(SERVICE_CONFIG_SOURCE));
        final Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        // logback.xml reads the logging variables itself.
        final Matcher logging = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-").matcher(
            Files.readString(Path.of("src/main/resources/logback.xml")));
        while (logging.find()) {
            names.add(logging.group(1));
        }
        // Guard against the extraction silently finding nothing (or only part of the names).
        assertThat(names).contains("CONFIG_FILE", "KAFKA_BROKERS", "KAFKA_CLIENT_ID", "APPLICATION_ID",
            "TOPIC_REPLICATION_FACTOR", "NUM_STANDBY_REPLICAS", "PROCESSING_GUARANTEE", "RETENTION");
        return names;
    }

    /**
     * Compose's interpolation of {@code ${NAME:?message}} from the operator's environment; any other form of
     * {@code ${...}} fails the test, so a default cannot slip in unnoticed.
     */
    private static Map<String, String> interpolate(final Map<String, String> environment,
                                                   final Map<String, String> shell) {
        final Pattern required = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):\\?[^}]+}");
        final Map<String, String> result = new HashMap<>();
        environment.forEach((name, value) -> {
            final Matcher m = required.matcher(value);
            final String interpolated = m.replaceAll(match -> Matcher.quoteReplacement(
                shell.getOrDefault(match.group(1), "")));
            assertThat(interpolated).as("%s: unsupported interpolation in %s", name, value).doesNotContain("${");
            result.put(name, interpolated);
        });
        return result;
    }

    /** The port of the named listener in a {@code NAME://host:port,...} list. */
    private static String listenerPort(final String listeners, final String name) {
        for (final String listener : listeners.split(",")) {
            if (listener.startsWith(name + "://")) {
                return listener.substring(listener.lastIndexOf(':') + 1);
            }
        }
        throw new AssertionError("no " + name + " listener in " + listeners);
    }

    private static String unquote(final String value) {
        final String v = value.trim();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static int indent(final String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The services (in file order) and the top-level named volumes of a compose file. */
    private record Compose(List<Service> services, Set<String> volumes) {

        static Compose parse(final List<String> raw) {
            final List<Service> services = new ArrayList<>();
            final Set<String> volumes = new LinkedHashSet<>();
            String topLevel = null;
            Service service = null;
            String key = null;
            for (final String line : raw) {
                final String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                assertThat(line).as("tabs in docker-compose.yml").doesNotContain("\t");
                final int indent = indent(line);
                if (indent == 0) {
                    topLevel = trimmed.endsWith(":") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
                    service = null;
                } else if (indent == 2 && trimmed.endsWith(":")) {
                    final String name = trimmed.substring(0, trimmed.length() - 1);
                    if ("services".equals(topLevel)) {
                        service = new Service(name, new LinkedHashMap<>(), new LinkedHashMap<>());
                        services.add(service);
                    } else if ("volumes".equals(topLevel)) {
                        volumes.add(name);
                    }
                } else if (service != null && indent == 4) {
                    final int colon = trimmed.indexOf(':');
                    assertThat(colon).as("a key: %s", line).isPositive();
                    key = trimmed.substring(0, colon);
                    final String value = trimmed.substring(colon + 1).trim();
                    if (!value.isEmpty()) {
                        service.scalars().put(key, unquote(value));
                    }
                    service.sections().put(key, new ArrayList<>());
                } else if (service != null && indent > 4) {
                    service.sections().get(key).add(line);
                }
            }
            return new Compose(services, volumes);
        }
    }

    /**
     * One service block: its one-line keys ({@code image: ...}) and, for every key, the lines nested under it
     * (as written, with their indentation).
     */
    private record Service(String name, Map<String, String> scalars, Map<String, List<String>> sections) {

        String scalar(final String key) {
            return scalars.getOrDefault(key, "");
        }

        List<String> section(final String key) {
            return sections.getOrDefault(key, List.of());
        }

        /** {@code - item} entries of a list section, unquoted. */
        List<String> listItems(final String key) {
            return section(key).stream()
                .map(String::trim)
                .filter(line -> line.startsWith("- "))
                .map(line -> unquote(line.substring(2)))
                .collect(Collectors.toList());
        }

        /** {@code environment:} as a map, from {@code KEY: value} or {@code - KEY=value} entries. */
        Map<String, String> environment() {
            final Map<String, String> env = new LinkedHashMap<>();
            for (final String line : section("environment")) {
                final String entry = line.trim();
                final String name;
                final String value;
                if (entry.startsWith("- ")) {
                    final String item = unquote(entry.substring(2));
                    final int eq = item.indexOf('=');
                    assertThat(eq).as("%s: KEY=value expected: %s", this.name, line).isPositive();
                    name = item.substring(0, eq);
                    value = item.substring(eq + 1);
                } else {
                    final int colon = entry.indexOf(':');
                    assertThat(colon).as("%s: KEY: value expected: %s", this.name, line).isPositive();
                    name = entry.substring(0, colon);
                    value = unquote(entry.substring(colon + 1));
                }
                assertThat(env.put(name.trim(), value.trim())).as("%s: duplicate %s", this.name, name).isNull();
            }
            return env;
        }

        String env(final String variable) {
            final String value = environment().get(variable);
            assertThat(value).as("%s: environment %s", name, variable).isNotNull();
            return value;
        }

        /** {@code volumes:} entries of the form {@code - name:/path} as name to path. */
        List<Map.Entry<String, String>> volumeMounts() {
            return listItems("volumes").stream()
                .map(item -> {
                    final String[] parts = item.split(":");
                    return Map.entry(parts[0], parts[1]);
                })
                .collect(Collectors.toList());
        }

        /** {@code depends_on:} in the long form: service name to condition. */
        Map<String, String> dependsOn() {
            final Map<String, String> result = new LinkedHashMap<>();
            String current = null;
            for (final String line : section("depends_on")) {
                final String trimmed = line.trim();
                if (indent(line) == 6 && trimmed.endsWith(":")) {
                    current = trimmed.substring(0, trimmed.length() - 1);
                    result.put(current, "");
                } else if (current != null && trimmed.startsWith("condition:")) {
                    result.put(current, trimmed.substring("condition:".length()).trim());
                }
            }
            return result;
        }
    }
}
