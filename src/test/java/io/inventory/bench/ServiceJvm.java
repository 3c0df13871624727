package io.inventory.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service jar ({@code target/inventory-service.jar}) as its own JVM, with the heap a 1 GiB container would give
 * it ({@code -Xmx768m}, the Dockerfile's {@code MaxRAMPercentage=75}) and the JVM's default collector. Its HTTP
 * port stays the same across restarts, as a Kubernetes pod's does.
 */
final class ServiceJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path jar;
    private final Path dir;
    private final String name;
    private final int port = freePort();
    private final Map<String, String> env = new HashMap<>();
    private String logName;
    private int runs;
    private Process process;

    ServiceJvm(final Path jar, final Path dir, final String name, final String bootstrapServers,
               final Map<String, String> extra) {
        this.jar = jar;
        this.dir = dir;
        this.name = name;
        env.put("KAFKA_BROKERS", bootstrapServers);
        env.put("KAFKA_CLIENT_ID", name);
        env.put("APPLICATION_ID", "bench");
        env.put("STATE_DIR", dir.resolve("state-" + name).toString());
        env.put("HTTP_PORT", Integer.toString(port));
        env.put("ADVERTISED_HOST", "127.0.0.1");
        env.put("TOPIC_PARTITIONS", "3");
        env.put("LOG_LEVEL", "INFO");
        env.putAll(extra);
        logName = name;
    }

    /** Names this instance's log files {@code <logName>-run<N>.log} from now on (default: its name). */
    ServiceJvm logAs(final String name) {
        logName = name;
        return this;
    }

    /** Starts the JVM and returns at once. */
    void start() {
        runs++;
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx768m", "-Djava.io.tmpdir=" + dir));
        // BENCH_SERVICE_JAVA_OPTS: extra JVM options for the service, e.g. a JFR recording.
        final String extra = System.getenv("BENCH_SERVICE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().replace("{run}", logName + "-run" + runs).split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        try {
            Files.createDirectories(dir);
            builder.redirectOutput(log().toFile());
            process = builder.start();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log() {
        return dir.resolve(logName + "-run" + runs + ".log");
    }

    /** Waits until {@code /health/ready} answers 200. */
    void awaitReady(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/health/ready").statusCode() != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready (alive: " + process.isAlive() + "), see " + log());
            }
            Thread.sleep(50);
        }
    }

    /** A GET on this instance; status 0 when it does not answer. */
    HttpResponse<String> get(final String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            return new Unanswered(path);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unanswered(path);
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no leave-group. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Unanswered(String path) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return 0;
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return URI.create("http://127.0.0.1" + path);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
