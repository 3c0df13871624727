package io.inventory.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.config.ServiceConfig;
import io.inventory.http.HttpApi;
import io.inventory.http.HttpPeerClient;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.InventoryQueries;
import io.inventory.serde.Json;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks {@code deploy/kubernetes} without a cluster: every manifest parsed as YAML, then held against what the
 * service really reads and serves. Environment names against {@link ServiceConfig}'s source, the resulting
 * configuration through {@link ServiceConfig} itself, the probes against the real HTTP routes, ports, selectors and
 * the headless service against each other, the memory request against the benchmark's measured resident set, and
 * the write token against being inlined anywhere.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("deploy", "kubernetes");
    private static final Path BENCH_RESULT = Path.of("bench", "results", "20261125-093200.json");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Z_][A-Z0-9_]*)\\)");

    private static List<Map<String, Object>> documents;
    private static Map<String, Object> statefulSet;
    private static Map<String, Object> pod;
    private static Map<String, Object> container;
    private static Map<String, Object> headless;
    private static Map<String, Object> clientService;
    private static Map<String, Object> disruptionBudget;

    @BeforeAll
    static void readManifests() throws IOException {
        documents = new ArrayList<>();
        for (final Object resource : list(load(DIR.resolve("kustomization.yaml")).get(0), "resources")) {
            documents.addAll(load(DIR.resolve((String) resource)));
        }
        statefulSet = only("StatefulSet");
        pod = map(statefulSet, "spec", "template", "spec");
        final List<Object> containers = list(pod, "containers");
        assertThat(containers).hasSize(1);
        container = asMap(containers.get(0));
        final List<Map<String, Object>> services = ofKind("Service");
        assertThat(services).hasSize(2);
        headless = services.stream().filter(s -> "None".equals(map(s, "spec").get("clusterIP"))).findFirst()
            .orElseThrow(() -> new AssertionError("no headless Service (clusterIP: None)"));
        clientService = services.stream().filter(s -> s != headless).findFirst().orElseThrow();
        disruptionBudget = only("PodDisruptionBudget");
    }

    // --- the set of files ---

    @Test
    void shouldListEveryManifestInTheKustomization() throws IOException {
        final Set<String> files = new TreeSet<>();
        try (Stream<Path> paths = Files.list(DIR)) {
            paths.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                .filter(name -> !name.equals("kustomization.yaml")).forEach(files::add);
        }
        assertThat(list(load(DIR.resolve("kustomization.yaml")).get(0), "resources"))
            .containsExactlyInAnyOrderElementsOf(files);
        assertThat(documents).extracting(d -> d.get("kind"))
            .containsExactlyInAnyOrder("StatefulSet", "Service", "Service", "PodDisruptionBudget");
    }

    // --- environment ---

    @Test
    void shouldNameOnlyVariablesServiceConfigReadsBesidesTheDownwardApiHelpers() throws IOException {
        final Set<String> known = DeploymentFilesTest.knownVariables();
        final Map<String, Map<String, Object>> env = environment();
        final Set<String> referenced = new TreeSet<>();
        env.values().forEach(entry -> {
            final Matcher m = REFERENCE.matcher(String.valueOf(entry.getOrDefault("value", "")));
            while (m.find()) {
                referenced.add(m.group(1));
            }
        });
        for (final Map.Entry<String, Map<String, Object>> entry : env.entrySet()) {
            final String name = entry.getKey();
            final boolean helper = entry.getValue().containsKey("valueFrom")
                && map(entry.getValue(), "valueFrom").containsKey("fieldRef") && referenced.contains(name);
            assertThat(known.contains(name) || helper)
                .as("%s is neither read by ServiceConfig nor a downward-API value another variable uses", name)
                .isTrue();
        }
        // Kubernetes expands $(VAR) only from entries defined earlier in the list.
        final List<String> order = new ArrayList<>(env.keySet());
        env.forEach((name, entry) -> {
            final Matcher m = REFERENCE.matcher(String.valueOf(entry.getOrDefault("value", "")));
            while (m.find()) {
                assertThat(order.indexOf(m.group(1))).as("%s uses $(%s)", name, m.group(1))
                    .isBetween(0, order.indexOf(name) - 1);
            }
        });
    }

    @Test
    void shouldAdvertiseThePodsNameUnderTheHeadlessService() {
        final Map<String, Map<String, Object>> env = environment();
        assertThat(map(env.get("POD_NAME"), "valueFrom", "fieldRef").get("fieldPath")).isEqualTo("metadata.name");
        assertThat(map(env.get("POD_NAMESPACE"), "valueFrom", "fieldRef").get("fieldPath"))
            .isEqualTo("metadata.namespace");
        assertThat(env.get("ADVERTISED_HOST").get("value"))
            .isEqualTo("$(POD_NAME)." + name(headless) + ".$(POD_NAMESPACE).svc.cluster.local");
        // Static membership under the pod's stable name: a restarted pod takes its partitions back at once.
        assertThat(env.get("INSTANCE_ID").get("value")).isEqualTo("$(POD_NAME)");
        assertThat(map(statefulSet, "spec").get("serviceName")).isEqualTo(name(headless));
        // Peers must resolve a pod that is restoring (not ready) too.
        assertThat(map(headless, "spec").get("publishNotReadyAddresses")).isEqualTo(true);
    }

    @Test
    void shouldGiveServiceConfigWhatThePodWillSee() {
        // given: the pod's environment as Kubernetes expands it, with the Secret's value in place
        final Map<String, String> env = expand(environment(), Map.of("POD_NAME", "inventory-service-0",
            "POD_NAMESPACE", "shop"), "t0ps3cret");

        // when
        final ServiceConfig config = ServiceConfig.from(env);

        // then
        assertThat(config.advertisedEndpoint())
            .isEqualTo("inventory-service-0." + name(headless) + ".shop.svc.cluster.local:" + httpPort());
        assertThat(config.clientId()).isEqualTo("inventory-service-0");
        assertThat(config.httpAuthToken()).hasValueSatisfying(t -> assertThat(t.matches("t0ps3cret")).isTrue());
        assertThat(config.standbyReplicas()).isPositive();
        assertThat(config.replicationFactor()).as("the brokers' default unless the operator sets one").isEmpty();
        assertThat(config.stateDir().toString()).isEqualTo(stateMountPath());
    }

    // --- the write token ---

    @Test
    void shouldReferenceTheWriteTokenFromASecretAndInlineItNowhere() throws IOException {
        final Map<String, Object> token = environment().get("HTTP_AUTH_TOKEN");
        assertThat(token).doesNotContainKey("value");
        final Map<String, Object> ref = map(token, "valueFrom", "secretKeyRef");
        assertThat(ref).containsKeys("name", "key").doesNotContainKey("optional");
        assertThat(documents).extracting(d -> d.get("kind")).doesNotContain("Secret");
        // The README says how to create it, under the same name and key.
        assertThat(Files.readString(Path.of("README.md")))
            .contains("kubectl create secret generic " + ref.get("name") + " --from-literal=" + ref.get("key") + "=");
    }

    // --- ports and probes ---

    @Test
    void shouldServeEveryPortFromTheContainersHttpPort() {
        final int port = httpPort();
        assertThat(Integer.parseInt(String.valueOf(environment().get("HTTP_PORT").get("value")))).isEqualTo(port);
        for (final Map<String, Object> service : List.of(headless, clientService)) {
            final List<Object> ports = list(map(service, "spec"), "ports");
            assertThat(ports).as(name(service)).hasSize(1);
            assertThat(containerPort(asMap(ports.get(0)).get("targetPort"))).as(name(service)).isEqualTo(port);
        }
        for (final String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(containerPort(map(container, probe, "httpGet").get("port"))).as(probe).isEqualTo(port);
        }
    }

    @Test
    void shouldProbeTheRealHealthRoutes() throws Exception {
        assertThat(map(container, "readinessProbe", "httpGet").get("path")).isEqualTo("/health/ready");
        assertThat(map(container, "livenessProbe", "httpGet").get("path")).isEqualTo("/health/live");
        assertThat(map(container, "startupProbe", "httpGet").get("path")).isEqualTo("/health/live");

        // The paths, asked of the real HTTP API: liveness answers while Kafka Streams rebalances, readiness not.
        final HttpApi api = HttpApi.bind(0);
        try {
            final HostInfo self = new HostInfo("localhost", api.port());
            final FakeStateAccess access = new FakeStateAccess(self).state(KafkaStreams.State.REBALANCING);
            api.serve(new InventoryQueries(access, self, new HttpPeerClient(self)));
            final String live = (String) map(container, "livenessProbe", "httpGet").get("path");
            final String ready = (String) map(container, "readinessProbe", "httpGet").get("path");
            assertThat(get(api.port(), live)).isEqualTo(200);
            assertThat(get(api.port(), ready)).isEqualTo(503);
            access.state(KafkaStreams.State.RUNNING);
            assertThat(get(api.port(), ready)).isEqualTo(200);
        } finally {
            api.close();
        }
    }

    // --- selectors, disruption budget, shutdown ---

    @Test
    void shouldSelectTheStatefulSetsPodsEverywhere() {
        final Map<String, Object> labels = map(statefulSet, "spec", "template", "metadata", "labels");
        final Map<String, Object> selector = map(statefulSet, "spec", "selector", "matchLabels");
        assertThat(labels).containsAllEntriesOf(selector);
        assertThat(map(headless, "spec", "selector")).isEqualTo(selector);
        assertThat(map(clientService, "spec", "selector")).isEqualTo(selector);
        assertThat(map(disruptionBudget, "spec", "selector", "matchLabels")).isEqualTo(selector);
    }

    @Test
    void shouldLetOnlyOneInstanceGoAtATimeAndGiveKafkaStreamsTimeToClose() {
        assertThat(map(disruptionBudget, "spec").get("maxUnavailable")).isEqualTo(1);
        assertThat((Integer) map(statefulSet, "spec").get("replicas")).isGreaterThanOrEqualTo(2);
        // InventoryService closes Kafka Streams with a 30 s timeout on SIGTERM.
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(30);
    }

    // --- state and resources ---

    @Test
    void shouldKeepTheStateDirectoryOnAPersistentVolumeClaimTemplate() throws IOException {
        final List<Object> templates = list(map(statefulSet, "spec"), "volumeClaimTemplates");
        assertThat(templates).hasSize(1);
        final Map<String, Object> claim = asMap(templates.get(0));
        final List<Object> mounts = list(container, "volumeMounts");
        assertThat(mounts).extracting(m -> asMap(m).get("name")).contains(map(claim, "metadata").get("name"));
        assertThat(list(map(claim, "spec"), "accessModes")).containsExactly("ReadWriteOnce");
        final long storage = bytes(map(claim, "spec", "resources", "requests").get("storage"));
        assertThat(storage).as("room beyond the measured state directory")
            .isGreaterThan(2 * mib(benchFigure("footprint", "disk (state dir) bounded")));
        assertThat(stateMountPath()).isEqualTo(String.valueOf(environment().get("STATE_DIR").get("value")));
        assertThat(pod.get("securityContext")).isNotNull();
        assertThat(map(pod, "securityContext")).containsKey("fsGroup");
    }

    @Test
    void shouldRequestMoreMemoryThanTheBenchmarkMeasuredWithTheSameHeap() throws IOException {
        // The measured resident set is for -Xmx256m and the bounded RocksDB defaults: the pod must run the same.
        assertThat(list(container, "command")).contains("-Xmx256m");
        assertThat(environment()).doesNotContainKeys("ROCKSDB_BLOCK_CACHE_MB", "ROCKSDB_WRITE_BUFFER_MB");
        final Map<String, Object> resources = map(container, "resources");
        final long request = bytes(map(resources, "requests").get("memory"));
        final long limit = bytes(map(resources, "limits").get("memory"));
        final double peak = Math.max(benchFigure("footprint", "peak RSS bounded RocksDB while loading"),
            benchFigure("footprint", "RSS bounded RocksDB, 1000000 products, 108000 open orders"));
        assertThat(request).isGreaterThan(mib(peak));
        assertThat(limit).isGreaterThanOrEqualTo(request);
        assertThat(map(resources, "requests")).containsKey("cpu");
    }

    // --- helpers ---

    private static int get(final int port, final String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The container's port named or numbered by {@code reference}. */
    private static int containerPort(final Object reference) {
        for (final Object port : list(container, "ports")) {
            final Map<String, Object> p = asMap(port);
            if (reference.equals(p.get("name")) || reference.equals(p.get("containerPort"))) {
                return (Integer) p.get("containerPort");
            }
        }
        throw new AssertionError("no container port " + reference);
    }

    private static int httpPort() {
        return containerPort("http");
    }

    private static String stateMountPath() {
        final String claim = String.valueOf(map(asMap(list(map(statefulSet, "spec"), "volumeClaimTemplates").get(0)),
            "metadata").get("name"));
        return list(container, "volumeMounts").stream().map(KubernetesManifestsTest::asMap)
            .filter(m -> claim.equals(m.get("name"))).map(m -> String.valueOf(m.get("mountPath"))).findFirst()
            .orElseThrow(() -> new AssertionError("no mount of " + claim));
    }

    /** The container's environment by name, in the manifest's order. */
    private static Map<String, Map<String, Object>> environment() {
        final Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (final Object entry : list(container, "env")) {
            final Map<String, Object> e = asMap(entry);
            assertThat(env.put(String.valueOf(e.get("name")), e)).as("duplicate %s", e.get("name")).isNull();
        }
        return env;
    }

    /** The environment as the kubelet builds it: downward-API values given, $(VAR) expanded, secrets filled in. */
    private static Map<String, String> expand(final Map<String, Map<String, Object>> env,
                                              final Map<String, String> downward, final String secret) {
        final Map<String, String> result = new HashMap<>();
        env.forEach((name, entry) -> {
            if (entry.containsKey("value")) {
                final Matcher m = REFERENCE.matcher(String.valueOf(entry.get("value")));
                result.put(name, m.replaceAll(r -> Matcher.quoteReplacement(result.get(r.group(1)))));
            } else if (map(entry, "valueFrom").containsKey("secretKeyRef")) {
                result.put(name, secret);
            } else {
                assertThat(downward).as("downward value of %s", name).containsKey(name);
                result.put(name, downward.get(name));
            }
        });
        return result;
    }

    /** A figure of the committed benchmark run, in its unit (MiB for these). */
    private static double benchFigure(final String benchmark, final String figure) throws IOException {
        for (final JsonNode row : Json.MAPPER.readTree(BENCH_RESULT.toFile()).get("rows")) {
            if (benchmark.equals(row.get("benchmark").asText()) && figure.equals(row.get("figure").asText())) {
                assertThat(row.get("unit").asText()).isEqualTo("MiB");
                return row.get("value").asDouble();
            }
        }
        throw new AssertionError("no figure '" + figure + "' in " + BENCH_RESULT);
    }

    private static long mib(final double value) {
        return (long) Math.ceil(value * 1024 * 1024);
    }

    /** A Kubernetes quantity in bytes ({@code 768Mi}, {@code 2Gi}); only the binary suffixes these files use. */
    private static long bytes(final Object quantity) {
        final Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi)").matcher(String.valueOf(quantity));
        assertThat(m.matches()).as("quantity %s", quantity).isTrue();
        final long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            default -> n << 30;
        };
    }

    private static List<Map<String, Object>> load(final Path file) throws IOException {
        final List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (final Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (doc != null) {
                    docs.add(asMap(doc));
                }
            }
        }
        assertThat(docs).as(file.toString()).isNotEmpty();
        return docs;
    }

    private static List<Map<String, Object>> ofKind(final String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> only(final String kind) {
        final List<Map<String, Object>> found = ofKind(kind);
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static String name(final Map<String, Object> resource) {
        return String.valueOf(map(resource, "metadata").get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(final Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** The map at {@code path}, failing with the path when a step is missing. */
    private static Map<String, Object> map(final Map<String, Object> root, final String... path) {
        Map<String, Object> current = root;
        for (final String key : path) {
            assertThat(current).as("missing %s in %s", key, String.join(".", path)).containsKey(key);
            current = asMap(current.get(key));
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Map<String, Object> parent, final String key) {
        assertThat(parent).as("missing %s", key).containsKey(key);
        assertThat(parent.get(key)).isInstanceOf(List.class);
        return (List<Object>) parent.get(key);
    }
}
