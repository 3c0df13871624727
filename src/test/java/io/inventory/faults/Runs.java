package io.inventory.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What every suite of this package sets up first: the service jar, a work directory, the service's topics. */
final class Runs {

    private Runs() {
    }

    /** The runnable jar ({@code -Dservice.jar} or {@code target/inventory-service.jar}); it must exist. */
    static Path serviceJar() {
        final Path jar = Path.of(System.getProperty("service.jar", "target/inventory-service.jar")).toAbsolutePath();
        assertThat(jar).as("the service jar (run mvn package first)").exists();
        return jar;
    }

    /** A fresh directory {@code target/faults/<prefix>-<millis>} for the broker, state and logs of one run. */
    static Path workDirectory(final String prefix) throws IOException {
        return Files.createDirectories(Path.of("target", "faults", prefix + "-" + System.currentTimeMillis())
            .toAbsolutePath());
    }

    /** Creates every inbound and outbound topic with {@code partitions} partitions. */
    static void createTopics(final EmbeddedKafka kafka, final int partitions) {
        final Map<String, Integer> topics = new TreeMap<>();
        Topics.INBOUND.forEach(topic -> topics.put(topic, partitions));
        Topics.OUTBOUND.forEach(topic -> topics.put(topic, partitions));
        kafka.createTopics(topics);
    }
}
