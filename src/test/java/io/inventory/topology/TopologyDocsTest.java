package io.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.config.ServiceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code topology-docs/} must describe the topology the code builds: a renamed node, store or
 * topic breaks a running deployment, so it has to show up in review. Run with {@code -Dtopology.docs.update=true}
 * to rewrite the files after an intended change.
 */
class TopologyDocsTest {

    private static final Path DOCS = Path.of("topology-docs");
    private static final boolean UPDATE = Boolean.getBoolean("topology.docs.update");

    private static TopologyDescription description() {
        return InventoryTopology.build(ServiceConfig.from(Map.of()).topologySettings()).describe();
    }

    @Test
    void shouldMatchTheCheckedInTopologyDescription() throws IOException {
        assertUpToDate(DOCS.resolve("topology.txt"), description().toString());
    }

    @Test
    void shouldMatchTheCheckedInDiagram() throws IOException {
        assertUpToDate(DOCS.resolve("topology.mmd"), mermaid(description()));
    }

    @Test
    void shouldNameEveryInternalTopicAndStoreExplicitly() {
        final String text = description().toString();
        assertThat(text).doesNotContainPattern("KSTREAM-[A-Z]+-\\d+").doesNotContainPattern("KTABLE-[A-Z]+-\\d+");
        assertThat(text).contains("(topic: orders-by-id-repartition)", "(topic: holds-by-product-repartition)",
            "(topic: commands-by-product-repartition)", "(topic: inventory-service-group-replies-by-order)",
            "stores: [order-due, orders]", "stores: [command-ids, allocations, inventory]");
    }

    private static void assertUpToDate(final Path file, final String generated) throws IOException {
        if (UPDATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertThat(file).as("%s is missing: run the tests with -Dtopology.docs.update=true", file).exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
            .as("%s differs from the code's topology: review the change, then run with -Dtopology.docs.update=true",
                file)
            .isEqualTo(generated);
    }

    /** A Mermaid flowchart of the description: one box per sub-topology, topics as stadiums, stores as cylinders. */
    static String mermaid(final TopologyDescription description) {
        final StringBuilder out = new StringBuilder("flowchart TD\n");
        final Set<String> topics = new LinkedHashSet<>();
        final Set<String> stores = new LinkedHashSet<>();
        final StringBuilder edges = new StringBuilder();
        for (final TopologyDescription.Subtopology sub : description.subtopologies()) {
            out.append("  subgraph sub").append(sub.id()).append(" [\"sub-topology ").append(sub.id())
                .append("\"]\n");
            sub.nodes().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(node -> {
                out.append("    ").append(id(node.name())).append("[\"").append(node.name()).append("\"]\n");
                node.successors().stream().map(TopologyDescription.Node::name).sorted()
                    .forEach(next -> edges.append("  ").append(id(node.name())).append(" --> ").append(id(next))
                        .append('\n'));
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().stream().sorted().forEach(topic -> {
                        topics.add(topic);
                        edges.append("  ").append(id("topic " + topic)).append(" --> ").append(id(node.name()))
                            .append('\n');
                    });
                }
                if (node instanceof TopologyDescription.Sink sink) {
                    final String topic = sink.topic() != null ? sink.topic() : "inventory.* (by event type)";
                    topics.add(topic);
                    edges.append("  ").append(id(node.name())).append(" --> ").append(id("topic " + topic))
                        .append('\n');
                }
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().stream().sorted().forEach(store -> {
                        stores.add(store);
                        edges.append("  ").append(id(node.name())).append(" <--> ").append(id("store " + store))
                            .append('\n');
                    });
                }
            });
            out.append("  end\n");
        }
        topics.forEach(topic -> out.append("  ").append(id("topic " + topic)).append("([\"").append(topic)
            .append("\"])\n"));
        stores.forEach(store -> out.append("  ").append(id("store " + store)).append("[(\"store: ").append(store)
            .append("\")]\n"));
        return out.append(edges).toString();
    }

    private static String id(final String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_");
    }
}
