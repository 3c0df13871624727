package io.inventory.query;

/** How fresh a read of one key must be. */
public enum Consistency {
    /** From the key's active owner, running and caught up; otherwise no answer (503). */
    LATEST,
    /**
     * As {@link #LATEST} when the owner can answer; else from any copy that can (a standby, or an active store that
     * is restoring), reported as stale with how many changelog records it is behind.
     */
    STALE_ALLOWED
}
