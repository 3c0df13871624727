package io.inventory.command;

/** A write request that cannot become a valid command; its message says why, for the client. */
public final class InvalidCommandException extends RuntimeException {

    public InvalidCommandException(final String message) {
        super(message);
    }
}
