package io.inventory.query;

/** Whether this instance can answer queries now, and why not. */
public record Readiness(boolean ready, String reason) {

    public static final Readiness READY = new Readiness(true, "ready");

    public static Readiness notReady(final String reason) {
        return new Readiness(false, reason);
    }
}
