package io.inventory.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The service instances of one run (separate JVMs sharing one application id) and the faults done to them, with
 * the counts the summary reports. An instance that exits without being told to is reported with the tail of its
 * log and started again, as an orchestrator would.
 */
final class Cluster implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<ServiceProcess> instances = new ArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private int kills;
    private int restarts;

    Cluster(final Path jar, final Path workDir, final Map<String, String> env, final String... names) {
        for (final String name : names) {
            instances.add(new ServiceProcess(name, jar, workDir, env));
        }
    }

    ServiceProcess get(final String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    /** Instances whose process runs (ready or not). */
    synchronized List<ServiceProcess> live() {
        return instances.stream().filter(ServiceProcess::isAlive).toList();
    }

    synchronized void start(final ServiceProcess instance) {
        log("start " + instance.name());
        if (!instance.logs().isEmpty()) {
            restarts++;
        }
        instance.start();
    }

    synchronized void kill(final ServiceProcess instance) {
        log("SIGKILL " + instance.name());
        kills++;
        instance.kill();
    }

    synchronized void stop(final ServiceProcess instance) {
        log("SIGTERM " + instance.name());
        final int code = instance.stop();
        if (code != 0) {
            violations.add("instance " + instance.name() + " exited with " + code + " after SIGTERM (expected 0); "
                + "log tail:\n" + instance.tail(40));
        }
    }

    /** Reports and restarts instances that died on their own. */
    synchronized void checkDeaths(final boolean brokerUp) {
        for (final ServiceProcess instance : instances) {
            if (instance.diedUnexpectedly()) {
                instance.acknowledgeDeath();
                final String text = "instance " + instance.name() + " died unexpectedly with exit code "
                    + instance.exitCode() + " (" + instance.log() + "); log tail:\n" + instance.tail(60);
                System.out.println("faults: " + text);
                violations.add(text);
                if (brokerUp) {
                    start(instance);
                }
            }
        }
    }

    /** Waits until every live instance answers /health/ready with 200; false on timeout. */
    boolean awaitReady(final Duration timeout, final Runnable whileWaiting) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            whileWaiting.run();
            final List<ServiceProcess> live = live();
            if (!live.isEmpty() && live.stream().allMatch(ServiceProcess::isReady)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** GET a path from a live instance, retrying 503s and connection errors; {@code null} for a 404. */
    JsonNode query(final String path, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no live instance";
        while (System.nanoTime() < deadline) {
            for (final ServiceProcess instance : live()) {
                try {
                    final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(instance.uri(path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return Json.MAPPER.readTree(response.body());
                    }
                    if (response.statusCode() == 404) {
                        return null;
                    }
                    last = response.statusCode() + " " + response.body();
                } catch (final IOException e) {
                    last = e.toString();
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("GET " + path + " got no answer within " + timeout + ": " + last);
    }

    int kills() {
        return kills;
    }

    int restarts() {
        return restarts;
    }

    List<String> violations() {
        return violations;
    }

    static void log(final String text) {
        System.out.printf("faults: %tT %s%n", System.currentTimeMillis(), text);
    }

    @Override
    public synchronized void close() {
        for (final ServiceProcess instance : instances) {
            if (instance.isAlive()) {
                instance.kill();
            }
        }
    }
}
