package io.inventory.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.cli.Cli;
import io.inventory.command.KafkaCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code KAFKA_RETRY_COUNT}, {@code KAFKA_RETRY_INITIAL_TIME} and {@code KAFKA_RETRY_MAX_TIME} reach every client
 * the service creates, read back through each client's own config class (what the client will use, defaults
 * included): the clients Kafka Streams builds, the service's admin client, the write API's producer and outcome
 * consumer, and the command-line client's producer.
 */
class ClientRetriesTest {

    private static final ServiceConfig CONFIG = ServiceConfig.from(Map.of("KAFKA_RETRY_COUNT", "3",
        "KAFKA_RETRY_INITIAL_TIME", "150", "KAFKA_RETRY_MAX_TIME", "45000"));

    @Test
    void shouldGiveTheRetryCountAndBackoffToEveryProducerAndAdminClient() {
        // given
        final StreamsConfig streams = new StreamsConfig(CONFIG.streamsProperties());
        final Map<String, AbstractConfig> clients = Map.of(
            "streams producer", producer(streams.getProducerConfigs("client")),
            "streams admin", new AdminClientConfig(streams.getAdminConfigs("client")),
            "service admin", new AdminClientConfig(CONFIG.adminProperties()),
            "command producer", producer(asMap(KafkaCommands.producerProperties(CONFIG.producerProperties(), "inv",
                Duration.ofSeconds(5)))),
            "cli producer", producer(asMap(Cli.producerProperties(CONFIG))));

        // then
        assertThat(clients).allSatisfy((name, client) -> {
            assertThat(client.getInt(CommonClientConfigs.RETRIES_CONFIG)).as(name).isEqualTo(3);
            assertThat(client.getLong(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG)).as(name).isEqualTo(150L);
            assertThat(client.getLong(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG)).as(name).isEqualTo(45_000L);
        });
    }

    @Test
    void shouldGiveTheBackoffToEveryConsumer() {
        // given
        final StreamsConfig streams = new StreamsConfig(CONFIG.streamsProperties());
        final Map<String, AbstractConfig> consumers = Map.of(
            "main consumer", consumer(streams.getMainConsumerConfigs("group", "client", 0)),
            "restore consumer", consumer(streams.getRestoreConsumerConfigs("client")),
            "command outcome consumer", consumer(asMap(KafkaCommands.consumerProperties(CONFIG.clientProperties(),
                "inv"))));

        // then
        assertThat(consumers).allSatisfy((name, client) -> {
            assertThat(client.getLong(CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG)).as(name).isEqualTo(150L);
            assertThat(client.getLong(CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG)).as(name).isEqualTo(45_000L);
        });
    }

    @Test
    void shouldKeepTheRetryCountAwayFromConsumersWhichDoNotKnowIt() {
        // then: a consumer would log it as an unknown setting
        assertThat(CONFIG.clientProperties()).doesNotContainKey(CommonClientConfigs.RETRIES_CONFIG);
        assertThat(KafkaCommands.consumerProperties(CONFIG.clientProperties(), "inv"))
            .doesNotContainKey(CommonClientConfigs.RETRIES_CONFIG);
    }

    private static ProducerConfig producer(final Map<String, Object> props) {
        final Map<String, Object> copy = new HashMap<>(props);
        copy.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            "org.apache.kafka.common.serialization.ByteArraySerializer");
        copy.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            "org.apache.kafka.common.serialization.ByteArraySerializer");
        return new ProducerConfig(copy);
    }

    private static ConsumerConfig consumer(final Map<String, Object> props) {
        final Map<String, Object> copy = new HashMap<>(props);
        copy.putIfAbsent(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        copy.putIfAbsent(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return new ConsumerConfig(copy);
    }

    private static Map<String, Object> asMap(final Properties properties) {
        final Map<String, Object> map = new HashMap<>();
        properties.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}
