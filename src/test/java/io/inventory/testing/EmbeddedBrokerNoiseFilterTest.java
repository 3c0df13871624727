package io.inventory.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** The embedded broker's start and stop warnings are dropped; its other warnings are not. */
class EmbeddedBrokerNoiseFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final EmbeddedBrokerNoiseFilter filter = new EmbeddedBrokerNoiseFilter();

    private FilterReply decide(final String logger, final String message) {
        return filter.decide(null, context.getLogger(logger), Level.WARN, message, null, null);
    }

    @Test
    void shouldDropTheFirstActivationAndTheDoubleClose() {
        assertThat(decide(EmbeddedBrokerNoiseFilter.CONTROLLER_LOGGER, "[QuorumController id=1] Performing"
            + " controller activation. The metadata log appears to be empty. Appending 6 bootstrap record(s)"))
            .isEqualTo(FilterReply.DENY);
        assertThat(decide(EmbeddedBrokerNoiseFilter.NETWORK_CLIENT_LOGGER, "[NodeToControllerChannelManager id=1"
            + " name=registration] Attempting to close NetworkClient that has already been closed."))
            .isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldKeepTheOtherWarnings() {
        assertThat(decide(EmbeddedBrokerNoiseFilter.CONTROLLER_LOGGER, "[QuorumController id=1] Broker 2 fenced"))
            .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(EmbeddedBrokerNoiseFilter.NETWORK_CLIENT_LOGGER, "[Consumer clientId=c] Attempting to"
            + " close NetworkClient that has already been closed.")).isEqualTo(FilterReply.NEUTRAL);
    }
}
