package io.inventory.bench;

import io.inventory.testing.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft broker in a JVM of its own, as production runs one: the benchmarks that measure latency and restarts
 * put it outside the harness, so the service's process is the only other one on the machine's cores besides the
 * load generator. {@link #main} starts it and prints {@code bootstrap=<servers>}; it runs until its standard input
 * closes (so it dies with the harness).
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final String bootstrapServers;

    private BrokerProcess(final Process process, final String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    public static void main(final String[] args) throws IOException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]))) {
            System.out.println("bootstrap=" + kafka.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the harness closes our standard input or exits
            }
        }
    }

    /** Starts a broker JVM with its data under {@code dir} and waits until it reports its address. */
    static BrokerProcess start(final Path dir) {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-Djava.io.tmpdir=" + dir,
            "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(), dir.toString()));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Files.createDirectories(dir);
            final Process process = builder.start();
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("bootstrap=")) {
                    final String servers = line.substring("bootstrap=".length());
                    final Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe from filling
                            }
                        } catch (final IOException ignored) {
                            // the broker exited
                        }
                    }, "bench-broker-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new BrokerProcess(process, servers);
                }
            }
            throw new IllegalStateException("the broker process exited before it was ready: " + process.waitFor());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (final IOException e) {
            process.destroyForcibly();
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
