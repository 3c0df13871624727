package io.inventory.query;

import org.apache.kafka.streams.state.HostInfo;

/**
 * The outcome of a query, free of HTTP: the web layer maps each case to a status.
 *
 * @param <T> the value found
 */
public sealed interface QueryResult<T> {

    /** This instance answered from its own store. */
    record FoundLocally<T>(T value) implements QueryResult<T> {
    }

    /** The owner answered; {@code value} is read from its response. */
    record FoundRemotely<T>(T value, HostInfo owner) implements QueryResult<T> {
    }

    /**
     * A copy that may lag behind answered: {@code servedBy} read it from a standby or a restoring store,
     * {@code offsetLag} changelog records behind the end ({@code -1} when unknown).
     */
    record FoundStale<T>(T value, long offsetLag, String servedBy) implements QueryResult<T> {
    }

    /** The key is absent, or the product was deleted. */
    record NotFound<T>(String message) implements QueryResult<T> {
    }

    /** No answer now (rebalance, restore, unknown or unreachable owner); worth retrying after the given delay. */
    record Unavailable<T>(String reason, int retryAfterSeconds) implements QueryResult<T> {
    }
}
