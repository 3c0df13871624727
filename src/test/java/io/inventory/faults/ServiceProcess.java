package io.inventory.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the service as a separate JVM: {@code java -Xmx256m -jar target/inventory-service.jar}, configured
 * through the environment like a deployment, with its stdout and stderr in a log file under {@code target/faults/}.
 * Each {@link #start} uses a fresh HTTP port and the instance's one state directory, so a restart finds the state
 * its previous run left behind (possibly after a SIGKILL).
 */
final class ServiceProcess {

    private static final String HOST = "127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Path logDir;
    private final Path stateDir;
    private final Map<String, String> baseEnv;
    private int runs;
    private volatile Process process;
    private volatile int port;
    private volatile Path log;
    /** True while the harness means this process to run: its exit is then unexpected. */
    private volatile boolean expectedAlive;

    ServiceProcess(final String name, final Path jar, final Path workDir, final Map<String, String> baseEnv) {
        this.name = name;
        this.jar = jar;
        this.logDir = workDir.resolve("logs");
        this.stateDir = workDir.resolve("state-" + name);
        this.baseEnv = Map.copyOf(baseEnv);
    }

    String name() {
        return name;
    }

    /** Starts the JVM and returns at once (the instance joins the group and restores in the background). */
    synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        runs++;
        port = freePort();
        log = logDir.resolve(name + "-run" + runs + ".log");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + stateDir.getParent(), "-jar", jar.toString());
        builder.environment().putAll(baseEnv);
        builder.environment().put("KAFKA_CLIENT_ID", name);
        builder.environment().put("STATE_DIR", stateDir.toString());
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        builder.environment().put("ADVERTISED_HOST", HOST);
        builder.redirectErrorStream(true);
        try {
            Files.createDirectories(logDir);
            builder.redirectOutput(log.toFile());
            process = builder.start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        expectedAlive = true;
    }

    /** SIGKILL: no shutdown hook, no commit, no leave-group; the broker notices after the session timeout. */
    synchronized void kill() {
        expectedAlive = false;
        final Process p = process;
        p.destroyForcibly();
        awaitExit(p, Duration.ofSeconds(30));
    }

    /** SIGTERM: the shutdown hook closes Kafka Streams (commit, leave group); exit code 0 expected. */
    synchronized int stop() {
        expectedAlive = false;
        final Process p = process;
        p.destroy();
        if (!awaitExit(p, Duration.ofSeconds(60))) {
            p.destroyForcibly();
            awaitExit(p, Duration.ofSeconds(10));
            return -1;
        }
        return p.exitValue();
    }

    boolean isAlive() {
        final Process p = process;
        return p != null && p.isAlive();
    }

    /** True if the process exited although the harness did not stop it. */
    boolean diedUnexpectedly() {
        return expectedAlive && !isAlive();
    }

    /** Marks an unexpected exit as seen so it is reported once. */
    void acknowledgeDeath() {
        expectedAlive = false;
    }

    int exitCode() {
        return process.exitValue();
    }

    URI uri(final String path) {
        return URI.create("http://" + HOST + ":" + port + path);
    }

    /** GET /health/ready answered 200. */
    boolean isReady() {
        if (!isAlive()) {
            return false;
        }
        try {
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/health/ready"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the current run's log contains {@code text}; false on timeout or if the process exits. */
    boolean awaitLog(final String text, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && isAlive()) {
            try {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            } catch (final IOException | UncheckedIOException e) {
                // not written yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The last lines of the current run's log, for a report. */
    String tail(final int lines) {
        try {
            final List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (final IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    Path log() {
        return log;
    }

    /** Every log file this instance wrote, oldest run first. */
    List<Path> logs() {
        final List<Path> all = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            all.add(logDir.resolve(name + "-run" + run + ".log"));
        }
        return all;
    }

    private static boolean awaitExit(final Process p, final Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
