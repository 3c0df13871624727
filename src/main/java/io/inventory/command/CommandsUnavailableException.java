package io.inventory.command;

/** A command could not be handed to Kafka (broker unreachable, timeout); the client may retry with the same id. */
public final class CommandsUnavailableException extends RuntimeException {

    public CommandsUnavailableException(final String message) {
        super(message);
    }

    public CommandsUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
