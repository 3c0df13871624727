package io.inventory.query;

import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the query layer needs from {@link KafkaStreams}, and no more, so that tests can stand in for a cluster.
 * {@link KafkaStreamsAccess} is the production implementation.
 */
public interface StateAccess {

    /** The client's state; stores are only queried while it is {@link KafkaStreams.State#RUNNING}. */
    KafkaStreams.State state();

    /**
     * The instance that owns {@code key} in {@code store} (its {@code application.server}) and the key's partition;
     * {@link KeyQueryMetadata#NOT_AVAILABLE} while no owner is known (not started, rebalancing, shutting down).
     */
    KeyQueryMetadata keyMetadata(QueryableStore<?> store, String key);

    /**
     * The active local partitions of {@code store} as one store. Its range scans concatenate the partitions'
     * ranges, so a scan is sorted within a partition only.
     *
     * @throws InvalidStateStoreException when the store cannot be queried on this instance now
     */
    <V> ReadOnlyKeyValueStore<String, V> localStore(QueryableStore<V> store);

    /**
     * One active local partition of {@code store}.
     *
     * @throws InvalidStateStoreException when that partition is not active and queryable on this instance now
     */
    <V> ReadOnlyKeyValueStore<String, V> localStore(QueryableStore<V> store, int partition);

    /**
     * One local partition of {@code store}, active or standby, whatever its progress: a stale read.
     *
     * @throws InvalidStateStoreException when this instance holds no copy of that partition now
     */
    <V> ReadOnlyKeyValueStore<String, V> localStaleStore(QueryableStore<V> store, int partition);

    /**
     * How many changelog records the local copy of {@code store}'s {@code partition} is behind; empty when unknown
     * (no local copy, or the lag cannot be fetched now).
     */
    java.util.OptionalLong offsetLag(QueryableStore<?> store, int partition);

    /** Every instance hosting at least one active partition of {@code store}; empty when none is known. */
    List<HostInfo> activeHosts(QueryableStore<?> store);
}
