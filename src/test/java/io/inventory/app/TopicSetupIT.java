package io.inventory.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.config.ServiceConfig;
import io.inventory.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topic creation against a real broker: the broker's replication factor, the operator's min.insync.replicas. */
class TopicSetupIT {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(Path.of("target", "topic-setup-it-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldCreateEveryTopicWithTheBrokersReplicationFactorAndTheOperatorsMinInSyncReplicas() throws Exception {
        // given: no TOPIC_REPLICATION_FACTOR; a min.insync.replicas the single broker's default (1) is not
        final ServiceConfig config = ServiceConfig.from(Map.of("KAFKA_BROKERS", kafka.bootstrapServers(),
            "APPLICATION_ID", "topic-setup-" + UUID.randomUUID(), "TOPIC_MIN_INSYNC_REPLICAS", "2"));

        try (Admin admin = Admin.create(config.clientProperties())) {
            // when
            TopicSetup.ensure(admin, config);

            // then
            final List<String> topics = TopicSetup.topics(config);
            final Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(30, TimeUnit.SECONDS);
            assertThat(described.values()).hasSize(topics.size()).allSatisfy(topic -> {
                assertThat(topic.partitions()).hasSize(3);
                assertThat(topic.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(1));
            });
            final ConfigResource reserved = new ConfigResource(ConfigResource.Type.TOPIC, "inventory.reserved");
            final Config topicConfig = admin.describeConfigs(List.of(reserved)).all().get(30, TimeUnit.SECONDS)
                .get(reserved);
            final ConfigEntry minIsr = topicConfig.get("min.insync.replicas");
            assertThat(minIsr.value()).isEqualTo("2");
            assertThat(minIsr.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }
}
