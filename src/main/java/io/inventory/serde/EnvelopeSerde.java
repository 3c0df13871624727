package io.inventory.serde;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes {@link OutboundEvent}s as contract envelopes:
 * {@code {eventId, eventType, timestamp, payload, metadata: {userId?, correlationId, causationId}}}, the
 * timestamp in ISO-8601 UTC with milliseconds as JavaScript's {@code Date.toJSON()} writes it.
 */
public final class EnvelopeSerde implements Serializer<OutboundEvent> {

    private static final DateTimeFormatter JS_DATE =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static String formatTimestamp(final long epochMillis) {
        return JS_DATE.format(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public byte[] serialize(final String topic, final OutboundEvent value) {
        if (value == null) {
            return null;
        }
        final ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("eventId", value.eventId());
        envelope.put("eventType", value.event().kind().eventType());
        envelope.put("timestamp", formatTimestamp(value.timestamp()));
        final ObjectNode payload = Json.MAPPER.valueToTree(value.event());
        if (!payload.has("aggregateId")) {
            // The one event that may name no product says so explicitly (the mapper leaves nulls out).
            payload.putNull("aggregateId");
        }
        envelope.set("payload", payload);
        final ObjectNode metadata = envelope.putObject("metadata");
        if (value.cause().userId() != null) {
            metadata.put("userId", value.cause().userId());
        }
        metadata.put("correlationId", value.cause().correlationId());
        metadata.put("causationId", value.cause().eventId());
        try {
            return Json.MAPPER.writeValueAsBytes(envelope);
        } catch (final IOException e) {
            throw new SerializationException("cannot write envelope for " + topic, e);
        }
    }
}
