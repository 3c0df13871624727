package io.inventory.local;

import io.inventory.app.InventoryService;
import io.inventory.cli.Cli;
import io.inventory.cli.DeadLetterCli;
import io.inventory.config.ServiceConfig;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The README's run command ({@code mvn -Plocal}): a real single-node KRaft broker in this JVM (unless
 * {@code KAFKA_BROKERS} points at a cluster), the service against it, sample products and one sample order, every
 * outbound event printed as it is committed, and a prompt that sends commands. Ctrl-C stops everything.
 */
public final class LocalRun {

    private static final PrintStream OUT = System.out;
    private static final Path SERVICE_JAR = Path.of("target", "inventory-service.jar");
    private static final String[][] SAMPLES = {
        {"sku-1", "10", "Espresso cups"}, {"sku-2", "5", "Milk jug"}, {"sku-3", "1", "Tamper"},
        {"sku-4", "20", "Filter papers"}, {"sku-5", "0", "Grinder"}};

    private LocalRun() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> env = new HashMap<>(System.getenv());
        final Path work = Path.of("target", "local");
        final EmbeddedKafka kafka;
        if (env.containsKey("KAFKA_BROKERS")) {
            kafka = null;
        } else {
            OUT.println("Starting a local Apache Kafka broker (KRaft) ...");
            kafka = EmbeddedKafka.start(work.resolve("kafka"));
            env.put("KAFKA_BROKERS", kafka.bootstrapServers());
            // A new broker has none of the changelogs local state was built from: start from scratch.
            deleteRecursively(work.resolve("state"));
        }
        env.putIfAbsent("STATE_DIR", Files.createDirectories(work.resolve("state")).toString());
        if (!env.containsKey("CONFIG_FILE") && Files.exists(Path.of("config", "local.properties"))) {
            env.put("CONFIG_FILE", Path.of("config", "local.properties").toString());
        }
        final ServiceConfig config = ServiceConfig.from(env);
        final InventoryService service = InventoryService.start(config);
        final KafkaConsumer<String, byte[]> watcher = watcher(config);
        final Thread printer = new Thread(() -> print(watcher), "event-printer");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OUT.println("Stopping ...");
            watcher.wakeup();
            service.close();
            if (kafka != null) {
                kafka.close();
            }
        }, "local-shutdown"));
        service.awaitRunning(Duration.ofMinutes(2));
        printer.setDaemon(true);
        printer.start();
        for (final String[] sample : SAMPLES) {
            Cli.send(config, Cli.command(new String[] {"item", sample[0], sample[1], sample[2]}));
        }
        Cli.send(config, Cli.command(new String[] {"order", "order-1", "sku-1:2", "sku-2:1"}));
        final long readyMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        banner(config, readyMillis);
        prompt(config);
        Thread.currentThread().join();
    }

    private static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> watcher(final ServiceConfig config) {
        final Properties props = config.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-run-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
            new ByteArrayDeserializer());
        consumer.subscribe(Topic.names(Topics.OUTBOUND));
        return consumer;
    }

    private static void print(final KafkaConsumer<String, byte[]> consumer) {
        try (consumer) {
            while (!Thread.currentThread().isInterrupted()) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    OUT.println("  event  " + Cli.describe(record.topic(), record.value()));
                }
            }
        } catch (final WakeupException | InterruptException e) {
            // Shutting down.
        }
    }

    private static void banner(final ServiceConfig config, final long readyMillis) {
        final String http = "http://localhost:" + config.httpPort();
        OUT.println();
        OUT.println("=== inventory-service is running (ready " + readyMillis + " ms after JVM start) ===");
        OUT.println("Kafka          " + config.brokers());
        OUT.println("HTTP           " + http + "/health/ready");
        OUT.println("               " + http + "/inventory/sku-1");
        OUT.println("               " + http + "/orders/order-1");
        OUT.println("Inbound        " + String.join(", ", Topic.names(Topics.INBOUND)));
        OUT.println("Outbound       " + String.join(", ", Topic.names(Topics.OUTBOUND)));
        OUT.println("Samples        sku-1..sku-5 created, order-1 (sku-1:2, sku-2:1) placed: watch its events below");
        OUT.println("Type a command and Enter (events print as they are committed), Ctrl-C to stop:");
        OUT.println(Cli.USAGE);
        OUT.println("From another terminal" + anotherTerminal(config.brokers()));
        OUT.println();
    }

    /**
     * The command-line client from another terminal. It lives in the service jar, which {@code mvn -Plocal} does not
     * build (it runs from the compiled classes): name the build step when the jar is not there.
     */
    static String anotherTerminal(final String brokers) {
        final String cli = "KAFKA_BROKERS=" + brokers + " java -jar " + SERVICE_JAR + " cli order order-2 sku-3:1";
        return Files.isRegularFile(SERVICE_JAR) ? ": " + cli
            : " (build the jar once with: mvn -q package -DskipTests): " + cli;
    }

    private static void prompt(final ServiceConfig config) throws IOException {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            final String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            if (words[0].equals("dlq")) {
                DeadLetterCli.run(Arrays.copyOfRange(words, 1, words.length), config, OUT, OUT);
                continue;
            }
            try {
                Cli.send(config, Cli.command(words));
            } catch (final IllegalArgumentException e) {
                OUT.println("  " + e.getMessage() + "\n" + Cli.USAGE);
            } catch (final Exception e) {
                OUT.println("  send failed: " + e.getMessage());
            }
        }
    }
}
