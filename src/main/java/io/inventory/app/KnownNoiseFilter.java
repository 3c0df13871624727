package io.inventory.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Marker;

/**
 * Drops three Kafka warnings that a start of the service logs and that nobody can act on, and nothing else
 * (both logger and message are matched, so the other warnings of these loggers still show):
 *
 * <ul>
 *   <li>{@code StreamsConfig}: "Processing exception handler is not enabled for the GlobalThread". Kafka Streams
 *       4.4 logs it for every {@code StreamsConfig} built without the deprecated
 *       {@code processing.exception.handler.global.enabled}, including the one its partition assignor builds from
 *       the consumer's settings, so no setting silences it. It concerns global stores and tables only, and the
 *       topology has none ({@code NoGlobalStateTest} fails the day it gets one).</li>
 *   <li>{@code NetworkClient}: "The metadata response from the cluster reported a recoverable issue" when every
 *       topic it names is an internal topic ({@code -repartition}, {@code -changelog}) that does not exist yet:
 *       the stream thread subscribes to the repartition topics before the group leader has created them during
 *       the first rebalance. A missing input or output topic is still reported.</li>
 *   <li>{@code Sender}: "Got error produce response ..., retrying (N attempts left). Error: CONCURRENT_TRANSACTIONS":
 *       a transactional producer's first sends can reach a partition while the coordinator still completes the
 *       previous transaction (seen at the first commit after a start); the producer retries on its own, and a send
 *       that runs out of retries fails the task with an error that is logged.</li>
 * </ul>
 *
 * <p>And two warnings of the HTTP server about a client's request, which the client is answered for (a log line
 * per bad request would let any client fill the log):
 *
 * <ul>
 *   <li>{@code io.javalin.Javalin}: "Body size greater than max size": a body over the limit, answered 413.</li>
 *   <li>{@code org.eclipse.jetty.util.HostPort}: "Bad Authority: [...]", "Bad IPv6 host: [...]": a {@code Host}
 *       header or a {@code CONNECT} target Jetty cannot parse, answered 400.</li>
 * </ul>
 */
public final class KnownNoiseFilter extends TurboFilter {

    static final String STREAMS_CONFIG_LOGGER = "org.apache.kafka.streams.StreamsConfig";
    static final String NETWORK_CLIENT_LOGGER = "org.apache.kafka.clients.NetworkClient";
    static final String GLOBAL_THREAD_HANDLER = "Processing exception handler is not enabled for the GlobalThread";
    static final String RECOVERABLE_METADATA = "The metadata response from the cluster reported a recoverable issue";
    static final String SENDER_LOGGER = "org.apache.kafka.clients.producer.internals.Sender";
    static final String RETRIED_CONCURRENT_TRANSACTIONS = "attempts left). Error: CONCURRENT_TRANSACTIONS";
    static final String JAVALIN_LOGGER = "io.javalin.Javalin";
    static final String BODY_TOO_LARGE = "Body size greater than max size";
    static final String HOST_PORT_LOGGER = "org.eclipse.jetty.util.HostPort";
    static final String BAD_AUTHORITY = "Bad ";

    @Override
    public FilterReply decide(final Marker marker, final Logger logger, final Level level, final String format,
                              final Object[] params, final Throwable t) {
        if (format == null || level != Level.WARN) {
            return FilterReply.NEUTRAL;
        }
        if (STREAMS_CONFIG_LOGGER.equals(logger.getName()) && format.startsWith(GLOBAL_THREAD_HANDLER)) {
            return FilterReply.DENY;
        }
        if (NETWORK_CLIENT_LOGGER.equals(logger.getName()) && format.contains(RECOVERABLE_METADATA)
            && onlyInternalTopicsNotCreatedYet(errorsOf(format, params))) {
            return FilterReply.DENY;
        }
        if (SENDER_LOGGER.equals(logger.getName()) && format.contains(", retrying (")
            && format.endsWith(RETRIED_CONCURRENT_TRANSACTIONS)) {
            return FilterReply.DENY;
        }
        if (JAVALIN_LOGGER.equals(logger.getName()) && format.startsWith(BODY_TOO_LARGE)
            || HOST_PORT_LOGGER.equals(logger.getName()) && format.startsWith(BAD_AUTHORITY)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    /**
     * The topic errors the warning reports. Kafka's clients log through a logger that formats the message itself
     * ({@code ... with correlation id 2 : {topic=ERROR, ...}}), so they are read back from the text; a message
     * still carrying its arguments has them as its last one. Topic names contain neither {@code =} nor a comma.
     */
    private static Map<String, String> errorsOf(final String message, final Object[] params) {
        final Map<String, String> errors = new TreeMap<>();
        if (params != null && params.length > 0 && params[params.length - 1] instanceof Map<?, ?> map) {
            map.forEach((topic, error) -> errors.put(String.valueOf(topic), String.valueOf(error)));
            return errors;
        }
        final int start = message.lastIndexOf(" : {");
        if (start < 0 || !message.endsWith("}")) {
            return errors;
        }
        for (final String entry : message.substring(start + 4, message.length() - 1).split(", ")) {
            final int eq = entry.indexOf('=');
            if (eq <= 0) {
                return Map.of();
            }
            errors.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return errors;
    }

    private static boolean onlyInternalTopicsNotCreatedYet(final Map<String, String> errors) {
        if (errors.isEmpty()) {
            return false;
        }
        for (final Map.Entry<String, String> entry : errors.entrySet()) {
            final String topic = entry.getKey();
            final boolean internal = topic.endsWith("-repartition") || topic.endsWith("-changelog");
            if (!internal || !Errors.UNKNOWN_TOPIC_OR_PARTITION.name().equals(entry.getValue())) {
                return false;
            }
        }
        return true;
    }
}
