package io.inventory.query;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@link StateAccess} over a {@link KafkaStreams} client. Only active stores are queried (never
 * {@code enableStaleStores()}): a standby may lag behind, and the listing would see its items twice.
 */
public final class KafkaStreamsAccess implements StateAccess {

    /** The stores' keys are written by the String serde and partitioned by the default partitioner. */
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private final KafkaStreams streams;

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
