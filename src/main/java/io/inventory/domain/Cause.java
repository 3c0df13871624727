package io.inventory.domain;

import java.util.Objects;

/**
 * The inbound event an outbound event traces back to: its id becomes the outbound {@code causationId},
 * its correlation id (or, when it had none, its own id) becomes the outbound {@code correlationId}.
 * It travels unchanged through every internal step between the inbound event and its effects.
 */
public record Cause(String eventId, String correlationId, String userId) {

    public Cause {
        Objects.requireNonNull(eventId, "eventId");
    }

    /** The cause of an inbound event, given that event's own id and metadata (either may be absent). */
    public static Cause of(final String eventId, final String correlationId, final String userId) {
        return new Cause(eventId, correlationId == null ? eventId : correlationId, userId);
    }
}
