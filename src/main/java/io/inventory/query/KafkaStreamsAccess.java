package io.inventory.query;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@link StateAccess} over a {@link KafkaStreams} client. Reads query active stores only, except
 * {@link #localStaleStore}, which a caller uses only when it asked for a stale read: a standby may lag behind,
 * and a listing over standbys would see items twice.
 */
public final class KafkaStreamsAccess implements StateAccess {

    /** The stores' keys are written by the String serde and partitioned by the default partitioner. */
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private static final long LAG_CACHE_MILLIS = 1000;

    private final KafkaStreams streams;
    private volatile Lags lags;

    public KafkaStreamsAccess(final KafkaStreams streams) {
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    @Override
    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public KeyQueryMetadata keyMetadata(final QueryableStore<?> store, final String key) {
        try {
            final KeyQueryMetadata metadata = streams.queryMetadataForKey(store.name(), key, KEY_SERIALIZER);
            return metadata == null ? KeyQueryMetadata.NOT_AVAILABLE : metadata;
        } catch (final StreamsNotStartedException | IllegalStateException e) {
            // The client is not started yet or is shutting down (the state may change after the caller checked it).
            return KeyQueryMetadata.NOT_AVAILABLE;
        }
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> localStore(final QueryableStore<V> store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store.name(),
            QueryableStoreTypes.<String, V>keyValueStore()));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> localStore(final QueryableStore<V> store, final int partition) {
        // Pinning the partition makes a restoring or migrated partition fail loudly; without it the store of all
        // local partitions would silently skip the partition and a present key would look absent.
        return streams.store(StoreQueryParameters.fromNameAndType(store.name(),
            QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> localStaleStore(final QueryableStore<V> store, final int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(store.name(),
            QueryableStoreTypes.<String, V>keyValueStore()).enableStaleStores().withPartition(partition));
    }

    @Override
    public OptionalLong offsetLag(final QueryableStore<?> store, final int partition) {
        final Map<Integer, LagInfo> partitions = lags().get(store.name());
        final LagInfo lag = partitions == null ? null : partitions.get(partition);
        return lag == null ? OptionalLong.empty() : OptionalLong.of(lag.offsetLag());
    }

    /**
     * The local stores' lags, fetched at most once per {@link #LAG_CACHE_MILLIS}: each fetch asks the brokers for
     * the changelogs' end offsets, which a burst of stale reads should not repeat.
     */
    private Map<String, Map<Integer, LagInfo>> lags() {
        final Lags cached = lags;
        final long now = System.currentTimeMillis();
        if (cached != null && now - cached.fetchedAt() < LAG_CACHE_MILLIS) {
            return cached.lags();
        }
        try {
            final Map<String, Map<Integer, LagInfo>> fresh = streams.allLocalStorePartitionLags();
            lags = new Lags(fresh, now);
            return fresh;
        } catch (final StreamsException | IllegalStateException e) {
            // Not started, shutting down, or the brokers cannot tell now: the lag is unknown.
            return Map.of();
        }
    }

    private record Lags(Map<String, Map<Integer, LagInfo>> lags, long fetchedAt) {
    }

    @Override
    public List<HostInfo> activeHosts(final QueryableStore<?> store) {
        try {
            // streamsMetadataForStore also lists instances holding only standbys: they have nothing to list.
            return streams.streamsMetadataForStore(store.name()).stream()
                .filter(metadata -> metadata.stateStoreNames().contains(store.name()))
                .map(StreamsMetadata::hostInfo)
                .distinct()
                .sorted(Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port))
                .toList();
        } catch (final StreamsNotStartedException | IllegalStateException e) {
            return List.of();
        }
    }
}
