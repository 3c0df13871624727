package io.inventory.command;

import com.fasterxml.jackson.databind.JsonNode;

/** What became of an item command sent through the write API. */
public sealed interface CommandOutcome {

    String commandId();

    /**
     * The topology applied the command and published {@code eventType} (created, updated or deleted) with
     * {@code item}, the event's payload: the item's state after the change.
     */
    record Applied(String commandId, String outcome, String eventType, JsonNode item) implements CommandOutcome {
    }

    /** The topology refused the command; {@code reason} is a {@code RejectionReason} code. */
    record Rejected(String commandId, String reason, String commandType) implements CommandOutcome {
    }

    /** Sent, but no outcome was seen within the wait; it may still come, see {@code GET /commands/{id}}. */
    record Pending(String commandId) implements CommandOutcome {
    }

    /**
     * The producer gave up on writing the command after the request had answered {@link Pending}: it never reached
     * the topology, and a retry (best with the same id) is safe.
     */
    record Unwritten(String commandId, String reason) implements CommandOutcome {
    }
}
