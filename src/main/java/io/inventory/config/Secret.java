package io.inventory.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A credential from the configuration. It never prints itself ({@link #toString()} is redacted, so neither a log
 * line nor the configuration record's own {@code toString} can leak it) and compares in constant time.
 */
public final class Secret {

    private final String value;
    private final byte[] digest;

    private Secret(final String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    public static Secret of(final String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be blank");
        }
        return new Secret(value);
    }

    /**
     * Whether {@code candidate} is this secret. Both sides are hashed first, so the comparison takes the same time
     * whatever the candidate's length and wherever it first differs.
     */
    public boolean matches(final String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** The secret itself, for the one place that must send it (requests to the other instances). */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "[redacted]";
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(digest, secret.digest);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    private static byte[] sha256(final String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
