package io.inventory.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Footprint and growth: the service as its own JVM ({@code target/inventory-service.jar}, as deployed but with a
 * fixed {@code -Xmx256m} so the heap does not scale with this machine), loaded with products in steps, its resident
 * memory read from {@code /proc/<pid>/status} every 200 ms.
 */
final class Footprint {

    /** One step of the load: products held, orders/s on a batch, p99 latency at a low fixed rate, RSS. */
    record Step(int products, double ordersPerSecond, double p99Millis, double rssMiB, double loadPerSecond) {
    }

    /** What one instance's run saw. */
    record Run(List<Double> seconds, List<Double> rssMiB, double peakRssMiB, double finalRssMiB, double diskMiB,
               int openOrders, List<Step> steps) {
    }

    private Footprint() {
    }

    static Run run(final Session session, final Path jar, final String name, final boolean bounded,
                   final int[] levels, final int ordersPerStep, final double latencyRate,
                   final Duration latencyRun) throws Exception {
        final int port = freePort();
        final Map<String, String> env = session.env(name, Map.of("HTTP_PORT", Integer.toString(port),
            "LOG_LEVEL", "WARN", "ROCKSDB_BLOCK_CACHE_MB", bounded ? "64" : "0"));
        final Path stateDir = Path.of(env.get("STATE_DIR"));
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
            "-Djava.io.tmpdir=" + session.dir(), "-jar", jar.toString());
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(session.dir().resolve(name + ".log").toFile());
        final Process process = builder.start();
        final List<Double> seconds = new ArrayList<>();
        final List<Double> rss = new ArrayList<>();
        final long started = System.nanoTime();
        final Thread sampler = new Thread(() -> {
            while (process.isAlive()) {
                final double mib = rssMiB(process.pid());
                if (mib > 0) {
                    synchronized (rss) {
                        seconds.add((System.nanoTime() - started) / 1e9);
                        rss.add(mib);
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }, "bench-rss-" + name);
        sampler.setDaemon(true);
        sampler.start();
        try {
            awaitReady(port, process);
            session.watchExternal();
            final List<Step> steps = new ArrayList<>();
            for (final int level : levels) {
                final double loadRate = session.loadProducts(level);
                final Session.Throughput throughput = session.orders(null, ordersPerStep, 1, false);
                final Session.Latency latency = session.latency(latencyRate, latencyRun);
                steps.add(new Step(level, throughput.ordersPerSecond(), latency.millis(99),
                    rssMiB(process.pid()), loadRate));
            }
            // Open orders: reserved and never settled, so they stay in the orders store.
            final int openOrders = Math.max(100, levels[levels.length - 1] / 10);
            session.orders(null, openOrders, 1, false);
            Thread.sleep(1000);
            final double finalRss = rssMiB(process.pid());
            final double peak;
            synchronized (rss) {
                peak = rss.stream().mapToDouble(Double::doubleValue).max().orElse(finalRss);
            }
            final int totalOpen = openOrders + steps.size() * ordersPerStep;
            final Run run;
            synchronized (rss) {
                run = new Run(List.copyOf(seconds), List.copyOf(rss), peak, finalRss, diskMiB(stateDir),
                    totalOpen, steps);
            }
            return run;
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            sampler.interrupt();
        }
    }

    static double rssMiB(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static double diskMiB(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (final IOException e) {
                    return 0;
                }
            }).sum() / (1024.0 * 1024.0);
        }
    }

    private static void awaitReady(final int port, final Process process) throws InterruptedException {
        final HttpClient client = HttpClient.newHttpClient();
        final URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!HttpBench.send(client, ready)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("instance on port " + port + " not ready (alive: "
                    + process.isAlive() + ")");
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
