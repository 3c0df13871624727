package io.inventory.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the two warnings the embedded broker logs on every start and stop of {@code mvn -Plocal} and the tests:
 * the controller's first activation on an empty metadata log ("The metadata log appears to be empty"), which is
 * what a freshly formatted single-node cluster does, and the registration channel closed twice on shutdown. Other
 * warnings of those loggers still show.
 */
public final class EmbeddedBrokerNoiseFilter extends TurboFilter {

    static final String CONTROLLER_LOGGER = "org.apache.kafka.controller.QuorumController";
    static final String NETWORK_CLIENT_LOGGER = "org.apache.kafka.clients.NetworkClient";
    static final String FIRST_ACTIVATION = "The metadata log appears to be empty";
    static final String CLOSED_TWICE = "Attempting to close NetworkClient that has already been closed";

    @Override
    public FilterReply decide(final Marker marker, final Logger logger, final Level level, final String format,
                              final Object[] params, final Throwable t) {
        if (format == null || level != Level.WARN) {
            return FilterReply.NEUTRAL;
        }
        final boolean firstActivation = CONTROLLER_LOGGER.equals(logger.getName()) && format.contains(FIRST_ACTIVATION);
        final boolean closedTwice = NETWORK_CLIENT_LOGGER.equals(logger.getName())
            && format.contains("NodeToControllerChannelManager") && format.contains(CLOSED_TWICE);
        return firstActivation || closedTwice ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
