package io.inventory.domain;

/** Why reserved units went back to stock: the {@code reason} of {@code inventory.released}. */
public enum ReleaseReason {
    /** The order was cancelled, or a cancel arrived while its decision was pending. */
    CANCELLED,
    /** An update lowered the order's lines: the release carries the decrease. */
    UPDATED,
    /** The reservation outlived {@code RESERVATION_TTL}. */
    EXPIRED,
    /**
     * A one-product reservation whose step had already been abandoned ({@code DECISION_TIMEOUT}) when the product's
     * owner made it: the announced reservation is given back. Only when a hold reaches its owner later than
     * {@code DECISION_TIMEOUT} (a stalled stock task).
     */
    DECISION_TIMEOUT
}
