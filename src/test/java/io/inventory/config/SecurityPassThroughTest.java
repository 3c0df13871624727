package io.inventory.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.command.KafkaCommands;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * A secured cluster's connection settings reach every client the service creates: the clients Kafka Streams
 * builds (main and restore consumers, global consumer, producer, admin), the service's admin client, and the
 * write API's producer and outcome consumer. Proven on the configuration, without a secured broker.
 */
class SecurityPassThroughTest {

    private static final Map<String, String> SECURED = Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"inv\" "
            + "password=\"pw\";",
        "ssl.truststore.location", "/secrets/kafka.truststore.jks",
        "ssl.truststore.password", "truststore-pw",
        "ssl.endpoint.identification.algorithm", "https");

    @Test
    void shouldPassSaslSslFromTheEnvironmentToEveryClient() {
        final ServiceConfig config = ServiceConfig.from(Map.of(
            "STREAMS_SECURITY_PROTOCOL", "SASL_SSL",
            "STREAMS_SASL_MECHANISM", "SCRAM-SHA-512",
            "STREAMS_SASL_JAAS_CONFIG", SECURED.get("sasl.jaas.config"),
            "STREAMS_SSL_TRUSTSTORE_LOCATION", "/secrets/kafka.truststore.jks",
            "STREAMS_SSL_TRUSTSTORE_PASSWORD", "truststore-pw",
            "STREAMS_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https"));

        assertEveryClientIsSecured(config);
    }

    @Test
    void shouldPassSslFromTheConfigFileKeysToEveryClient() {
        final ServiceConfig config = ServiceConfig.from(Map.of(
            "kafka.security.protocol", "SASL_SSL",
            "kafka.sasl.mechanism", "SCRAM-SHA-512",
            "kafka.sasl.jaas.config", SECURED.get("sasl.jaas.config"),
            "kafka.ssl.truststore.location", "/secrets/kafka.truststore.jks",
            "kafka.ssl.truststore.password", "truststore-pw",
            "kafka.ssl.endpoint.identification.algorithm", "https"));

        assertEveryClientIsSecured(config);
    }

    private static void assertEveryClientIsSecured(final ServiceConfig config) {
        final StreamsConfig streams = new StreamsConfig(config.streamsProperties());
        final Properties client = config.clientProperties();
        final Map<String, Map<String, ?>> clients = Map.of(
            "main consumer", streams.getMainConsumerConfigs("group", "client", 0),
            "restore consumer", streams.getRestoreConsumerConfigs("client"),
            "global consumer", streams.getGlobalConsumerConfigs("client"),
            "streams producer", streams.getProducerConfigs("client"),
            "streams admin", streams.getAdminConfigs("client"),
            "service admin", asMap(client),
            "command producer", asMap(KafkaCommands.producerProperties(client, "inv", Duration.ofSeconds(5))),
            "command outcome consumer", asMap(KafkaCommands.consumerProperties(client, "inv")));
        for (final Map.Entry<String, Map<String, ?>> entry : clients.entrySet()) {
            for (final Map.Entry<String, String> setting : SECURED.entrySet()) {
                assertThat(String.valueOf(entry.getValue().get(setting.getKey())))
                    .as("%s of the %s", setting.getKey(), entry.getKey())
                    .isEqualTo(setting.getValue());
            }
        }
    }

    private static Map<String, Object> asMap(final Properties properties) {
        final Map<String, Object> map = new java.util.HashMap<>();
        properties.forEach((key, value) -> map.put(String.valueOf(key), value));
        return map;
    }
}
