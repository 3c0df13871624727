package io.inventory.query;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One instance's view of a cluster, in memory. Stores are split into local partitions and, like Kafka Streams'
 * store of all local partitions, range scans chain the partitions' ranges one after the other. By default this
 * instance owns every key in partition 0 and is the only active host.
 */
public final class FakeStateAccess implements StateAccess {

    private final HostInfo self;
    private final Map<String, Map<Integer, NavigableMap<String, Object>>> stores = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, NavigableMap<String, Object>>> standbys = new ConcurrentHashMap<>();
    private final Map<String, Long> lags = new ConcurrentHashMap<>();
    private final Set<String> unqueryable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger keyLookups = new AtomicInteger();
    private final AtomicInteger openIterators = new AtomicInteger();
    private volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
    private volatile BiFunction<QueryableStore<?>, String, KeyQueryMetadata> owners;
    private volatile List<HostInfo> activeHosts;

    public FakeStateAccess(final HostInfo self) {
        this.self = self;
        this.owners = (store, key) -> owner(self, 0);
        this.activeHosts = List.of(self);
    }

    public static KeyQueryMetadata owner(final HostInfo host, final int partition) {
        return new KeyQueryMetadata(host, Set.of(), partition);
    }

    public FakeStateAccess state(final KafkaStreams.State newState) {
        this.state = newState;
        return this;
    }

    public FakeStateAccess owners(final BiFunction<QueryableStore<?>, String, KeyQueryMetadata> newOwners) {
        this.owners = newOwners;
        return this;
    }

    public FakeStateAccess activeHosts(final List<HostInfo> hosts) {
        this.activeHosts = List.copyOf(hosts);
        return this;
    }

    /** Makes the store throw {@link InvalidStateStoreException}, as while it restores or migrates. */
    public FakeStateAccess unqueryable(final QueryableStore<?> store) {
        unqueryable.add(store.name());
        return this;
    }

    public <V> FakeStateAccess put(final QueryableStore<V> store, final String key, final V value) {
        return put(store, 0, key, value);
    }

    public <V> FakeStateAccess put(final QueryableStore<V> store, final int partition, final String key,
                                   final V value) {
        stores.computeIfAbsent(store.name(), name -> new ConcurrentHashMap<>())
            .computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>(InventoryQueries.KEY_ORDER))
            .put(key, value);
        return this;
    }

    /** A standby copy of one partition on this instance, {@code lag} records behind its changelog's end. */
    public <V> FakeStateAccess standby(final QueryableStore<V> store, final int partition, final String key,
                                       final V value, final long lag) {
        standbys.computeIfAbsent(store.name(), name -> new ConcurrentHashMap<>())
            .computeIfAbsent(partition, p -> new ConcurrentSkipListMap<>(InventoryQueries.KEY_ORDER))
            .put(key, value);
        lags.put(store.name() + "/" + partition, lag);
        return this;
    }

    /** Store iterators opened and not closed yet. */
    public int openIterators() {
        return openIterators.get();
    }

    /** How many times an owner was looked up: every query of a key on this instance does it once. */
    public int keyLookups() {
        return keyLookups.get();
    }

    @Override
    public KafkaStreams.State state() {
        return state;
    }

    @Override
    public KeyQueryMetadata keyMetadata(final QueryableStore<?> store, final String key) {
        keyLookups.incrementAndGet();
        return owners.apply(store, key);
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> localStore(final QueryableStore<V> store) {
        check(store);
        return new FakeStore<>(List.copyOf(partitions(store).values()), openIterators);
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> localStore(final QueryableStore<V> store, final int partition) {
        check(store);
        final NavigableMap<String, Object> entries = partitions(store).get(partition);
        if (entries == null) {
            throw new InvalidStateStoreException("partition " + partition + " of " + store.name() + " is not local");
        }
        return new FakeStore<>(List.of(entries), openIterators);
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> localStaleStore(final QueryableStore<V> store, final int partition) {
        // A stale read also reaches an active partition that is restoring (unqueryable for a fresh read).
        final NavigableMap<String, Object> active = stores.getOrDefault(store.name(), Map.of()).get(partition);
        final NavigableMap<String, Object> entries = active != null ? active
            : standbys.getOrDefault(store.name(), Map.of()).get(partition);
        if (entries == null) {
            throw new InvalidStateStoreException("no copy of partition " + partition + " of " + store.name());
        }
        return new FakeStore<>(List.of(entries), openIterators);
    }

    @Override
    public OptionalLong offsetLag(final QueryableStore<?> store, final int partition) {
        final Long lag = lags.get(store.name() + "/" + partition);
        return lag == null ? OptionalLong.of(0L) : OptionalLong.of(lag);
    }

    @Override
    public List<HostInfo> activeHosts(final QueryableStore<?> store) {
        return activeHosts;
    }

    private void check(final QueryableStore<?> store) {
        if (unqueryable.contains(store.name())) {
            throw new InvalidStateStoreException("store " + store.name() + " is restoring");
        }
    }

    private Map<Integer, NavigableMap<String, Object>> partitions(final QueryableStore<?> store) {
        // Partition order as a Kafka Streams client would chain them; the default partition is always there.
        final Map<Integer, NavigableMap<String, Object>> partitions = new TreeMap<>(
            stores.getOrDefault(store.name(), Map.of()));
        partitions.putIfAbsent(0, new TreeMap<>(InventoryQueries.KEY_ORDER));
        return partitions;
    }

    private static final class FakeStore<V> implements ReadOnlyKeyValueStore<String, V> {

        private final List<NavigableMap<String, Object>> partitions;
        private final AtomicInteger openIterators;

        FakeStore(final List<NavigableMap<String, Object>> partitions, final AtomicInteger openIterators) {
            this.partitions = partitions;
            this.openIterators = openIterators;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(final String key) {
            for (final NavigableMap<String, Object> partition : partitions) {
                final Object value = partition.get(key);
                if (value != null) {
                    return (V) value;
                }
            }
            return null;
        }

        @Override
        public KeyValueIterator<String, V> range(final String from, final String to) {
            final List<KeyValue<String, V>> chained = new ArrayList<>();
            for (final NavigableMap<String, Object> partition : partitions) {
                NavigableMap<String, Object> range = partition;
                if (from != null) {
                    range = range.tailMap(from, true);
                }
                if (to != null) {
                    range = range.headMap(to, true);
                }
                range.forEach((key, value) -> chained.add(KeyValue.pair(key, cast(value))));
            }
            openIterators.incrementAndGet();
            return new ListIterator<>(chained, openIterators);
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return range(null, null);
        }

        @Override
        public long approximateNumEntries() {
            return partitions.stream().mapToLong(NavigableMap::size).sum();
        }

        @SuppressWarnings("unchecked")
        private V cast(final Object value) {
            return (V) value;
        }
    }

    private static final class ListIterator<V> implements KeyValueIterator<String, V> {

        private final List<KeyValue<String, V>> entries;
        private final Iterator<KeyValue<String, V>> iterator;
        private final AtomicInteger openIterators;
        private int position;
        private boolean closed;

        ListIterator(final List<KeyValue<String, V>> entries, final AtomicInteger openIterators) {
            this.entries = entries;
            this.iterator = entries.iterator();
            this.openIterators = openIterators;
        }

        @Override
        public boolean hasNext() {
            if (closed) {
                throw new InvalidStateStoreException("iterator used after close");
            }
            return iterator.hasNext();
        }

        @Override
        public KeyValue<String, V> next() {
            position++;
            return iterator.next();
        }

        @Override
        public String peekNextKey() {
            return entries.get(position).key;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openIterators.decrementAndGet();
            }
        }
    }
}
