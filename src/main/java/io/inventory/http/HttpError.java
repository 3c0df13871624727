package io.inventory.http;

/**
 * A request the API refuses, with the status and a message safe to show the client. Thrown by route handlers and
 * turned into the JSON error body by {@link HttpApi}; it carries no stack trace because it is not a fault.
 */
final class HttpError extends RuntimeException {

    private final int status;

    HttpError(final int status, final String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
