package io.inventory.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.config.ServiceConfig;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** How the service asks for its topics, and when it warns about their replication. */
class TopicSetupTest {

    @Test
    void shouldLeaveReplicationAndInSyncReplicasToTheBrokerByDefault() {
        // when
        final NewTopic topic = TopicSetup.newTopic("inventory.reserved", ServiceConfig.from(Map.of()));

        // then
        assertThat(topic.numPartitions()).isEqualTo(3);
        assertThat(topic.replicationFactor()).isEqualTo((short) -1);
        assertThat(topic.configs()).isNullOrEmpty();
    }

    @Test
    void shouldAskForTheOperatorsReplicationFactorAndInSyncReplicas() {
        // when
        final NewTopic topic = TopicSetup.newTopic("inventory.reserved", ServiceConfig.from(Map.of(
            "TOPIC_PARTITIONS", "6", "TOPIC_REPLICATION_FACTOR", "3", "TOPIC_MIN_INSYNC_REPLICAS", "2")));

        // then
        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsExactlyEntriesOf(Map.of("min.insync.replicas", "2"));
    }

    @Test
    void shouldWarnOnceNamingTheSettingWhenTopicsGetOneReplicaOnSeveralBrokers() {
        // when
        final Optional<String> warning = TopicSetup.singleReplicaWarning(
            Map.of("inventory.reserved", 1, "order.created", 1, "inventory.dlq", 3), 3);

        // then
        assertThat(warning).hasValueSatisfying(line -> assertThat(line)
            .startsWith("Created 2 topics with replication factor 1 on a cluster of 3 brokers")
            .contains("[inventory.reserved, order.created]", "TOPIC_REPLICATION_FACTOR")
            .doesNotContain("inventory.dlq", "\n"));
    }

    @Test
    void shouldNotWarnOnASingleBrokerOrWhenEveryTopicIsReplicated() {
        // when / then
        assertThat(TopicSetup.singleReplicaWarning(Map.of("inventory.reserved", 1), 1)).isEmpty();
        assertThat(TopicSetup.singleReplicaWarning(Map.of("inventory.reserved", 2, "order.created", 3), 3))
            .isEmpty();
        assertThat(TopicSetup.singleReplicaWarning(Map.of(), 3)).isEmpty();
    }
}
