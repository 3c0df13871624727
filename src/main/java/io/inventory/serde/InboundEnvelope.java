package io.inventory.serde;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds inbound envelopes as the contract's clients write them ({@code eventId}, {@code eventType}, an ISO-8601
 * {@code timestamp}, {@code payload}, {@code metadata} with the optional {@code correlationId} and {@code userId}):
 * the one builder for the write API's commands and the CLI's events, so that both write what
 * {@link InboundReader} reads.
 */
public final class InboundEnvelope {

    private InboundEnvelope() {
    }

    /** {@code correlationId} and {@code userId} may be {@code null}: they are then left out of the metadata. */
    public static ObjectNode of(final String eventId, final String eventType, final long timestamp,
                                final ObjectNode payload, final String correlationId, final String userId) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode()
            .put("eventId", eventId)
            .put("eventType", eventType)
            .put("timestamp", EnvelopeSerde.formatTimestamp(timestamp));
        envelope.set("payload", payload);
        final ObjectNode metadata = envelope.putObject("metadata");
        if (correlationId != null) {
            metadata.put("correlationId", correlationId);
        }
        if (userId != null) {
            metadata.put("userId", userId);
        }
        return envelope;
    }

    /** The first line of a parser's message, for an error that names what was wrong without a stack of detail. */
    public static String firstLine(final String message) {
        if (message == null) {
            return "unreadable";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
