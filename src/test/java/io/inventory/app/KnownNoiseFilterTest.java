package io.inventory.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The Kafka warnings nobody can act on are dropped; the other warnings of the same loggers are not. */
class KnownNoiseFilterTest {

    private static final String GLOBAL_THREAD = "Processing exception handler is not enabled for the GlobalThread."
        + " It's recommended to set `processing.exception.handler.global.enabled` to true to enable it.";
    private static final String METADATA = "[Consumer clientId=inv-StreamThread-1-consumer, groupId=inv] The metadata"
        + " response from the cluster reported a recoverable issue with correlation id {} : {}";

    private final LoggerContext context = new LoggerContext();
    private final Logger streamsConfig = context.getLogger(KnownNoiseFilter.STREAMS_CONFIG_LOGGER);
    private final Logger networkClient = context.getLogger(KnownNoiseFilter.NETWORK_CLIENT_LOGGER);
    private final KnownNoiseFilter filter = new KnownNoiseFilter();

    private FilterReply decide(final Logger logger, final Level level, final String format, final Object... params) {
        return filter.decide(null, logger, level, format, params, null);
    }

    @Test
    void shouldDropTheGlobalThreadHandlerWarning() {
        assertThat(decide(streamsConfig, Level.WARN, GLOBAL_THREAD)).isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldKeepTheOtherStreamsConfigWarnings() {
        assertThat(decide(streamsConfig, Level.WARN, "Both the deprecated and new config for production exception"
            + " handler are configured. The deprecated one will be ignored.")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(context.getLogger("org.apache.kafka.streams.KafkaStreams"), Level.WARN, GLOBAL_THREAD))
            .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldDropMetadataWarningsAboutInternalTopicsNotCreatedYet() {
        assertThat(decide(networkClient, Level.WARN, METADATA, 2, Map.of(
            "inv-orders-by-id-repartition", Errors.UNKNOWN_TOPIC_OR_PARTITION,
            "inv-inventory-changelog", Errors.UNKNOWN_TOPIC_OR_PARTITION))).isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldDropTheSameWarningAsKafkasLoggerFormatsIt() {
        // given: Kafka's LogContext formats the message and passes no arguments on
        final String formatted = METADATA.replaceFirst("\\{}", "2").replaceFirst("\\{}",
            "{inv-orders-by-id-repartition=UNKNOWN_TOPIC_OR_PARTITION, inv-holds-by-product-repartition="
                + "UNKNOWN_TOPIC_OR_PARTITION}");

        // when / then
        assertThat(decide(networkClient, Level.WARN, formatted)).isEqualTo(FilterReply.DENY);
        assertThat(decide(networkClient, Level.WARN, formatted.replace("inv-holds-by-product-repartition",
            "order.created"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(networkClient, Level.WARN, formatted.replace("UNKNOWN_TOPIC_OR_PARTITION}",
            "LEADER_NOT_AVAILABLE}"))).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepMetadataWarningsAboutInputOrOutputTopicsOrOtherErrors() {
        assertThat(decide(networkClient, Level.WARN, METADATA, 2, Map.of(
            "inv-orders-by-id-repartition", Errors.UNKNOWN_TOPIC_OR_PARTITION,
            "order.created", Errors.UNKNOWN_TOPIC_OR_PARTITION))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(networkClient, Level.WARN, METADATA, 2, Map.of(
            "inv-orders-by-id-repartition", Errors.TOPIC_AUTHORIZATION_FAILED))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(networkClient, Level.WARN, METADATA, 2, Map.of())).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldDropARetriedConcurrentTransactionsErrorButNoOtherProduceError() {
        final Logger sender = context.getLogger(KnownNoiseFilter.SENDER_LOGGER);
        final String retried = "[Producer clientId=inv-StreamThread-1-producer, transactionalId=inv-1] Got error"
            + " produce response with correlation id 13 on topic-partition inv-commands-by-product-repartition-1,"
            + " retrying (7 attempts left). Error: CONCURRENT_TRANSACTIONS";

        assertThat(decide(sender, Level.WARN, retried)).isEqualTo(FilterReply.DENY);
        assertThat(decide(sender, Level.WARN, retried.replace("CONCURRENT_TRANSACTIONS", "NOT_ENOUGH_REPLICAS")))
            .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(sender, Level.WARN, retried.replace("retrying (7 attempts left)", "not retrying")))
            .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepTheOtherNetworkClientWarnings() {
        assertThat(decide(networkClient, Level.WARN, "[AdminClient clientId=inv-admin] Connection to node -1 ({})"
            + " could not be established. Node may not be available.", "/127.0.0.1:1"))
            .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldDropTheHttpServersWarningsAboutAClientsBadRequestOnly() {
        final Logger javalin = context.getLogger(KnownNoiseFilter.JAVALIN_LOGGER);
        final Logger hostPort = context.getLogger(KnownNoiseFilter.HOST_PORT_LOGGER);

        assertThat(decide(javalin, Level.WARN, "Body size greater than max size (65536 bytes)"))
            .isEqualTo(FilterReply.DENY);
        assertThat(decide(hostPort, Level.WARN, "Bad Authority: [{}]", "/inventory/p-1")).isEqualTo(FilterReply.DENY);
        assertThat(decide(javalin, Level.WARN, "Uncaught exception")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(javalin, Level.ERROR, "Body size greater than max size (65536 bytes)"))
            .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(context.getLogger("org.eclipse.jetty.server.Server"), Level.WARN, "Bad Authority: [{}]",
            "x")).isEqualTo(FilterReply.NEUTRAL);
    }
}
