package io.inventory.query;

import io.inventory.domain.OrderState;
import io.inventory.domain.ProductState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over the {@code inventory} store (key productId, value {@link ProductState}) and the
 * {@code orders} store (key orderId, value {@link OrderState}) of the whole application, whichever instance
 * owns a key.
 *
 * <ul>
 *   <li>A key is read from this instance's store when it owns the key's partition, else forwarded once to the
 *       owner through the {@link PeerClient}. A request that was forwarded ({@link RequestOrigin#PEER}) is never
 *       forwarded again: when ownership moves, two instances may each name the other, and the client retries.</li>
 *   <li>Nothing is answered unless the Kafka Streams client is {@code RUNNING}: while it rebalances or restores,
 *       ownership and store contents are in flux, so the result is {@link QueryResult.Unavailable}. A read of one
 *       key that allows it ({@link Consistency#STALE_ALLOWED}) is then answered from a lagging copy, with its lag
 *       ({@link QueryResult.FoundStale}).</li>
 *   <li>The listing asks every instance with active inventory partitions for its slice and merges them in key
 *       order. Keys are ordered as UTF-8 bytes, the order of the stores' range scans, so that {@code after} means
 *       the same thing to the stores and to the merge.</li>
 * </ul>
 */
public final class InventoryQueries {

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    /** A slice may hold one item more than a page: the extra item tells the merge that a next page exists. */
    public static final int MAX_SLICE_SIZE = MAX_PAGE_SIZE + 1;
    /** Rebalances and restores usually settle within seconds; clients should not hammer meanwhile. */
    public static final int RETRY_AFTER_SECONDS = 2;

    /** Unsigned UTF-8 byte order: RocksDB's order for String keys, which differs from {@link String#compareTo}. */
    static final Comparator<String> KEY_ORDER = (left, right) -> Arrays.compareUnsigned(
        left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));

    private static final Logger LOG = LoggerFactory.getLogger(InventoryQueries.class);
    private static final List<QueryableStore<?>> STORES = List.of(QueryableStore.INVENTORY, QueryableStore.ORDERS);

    private final StateAccess access;
    private final HostInfo self;
    private final String servedBy;
    private final PeerClient peers;

    /**
     * @param access the local Kafka Streams client
     * @param self   this instance's {@code application.server}, as other instances reach it
     * @param peers  how to reach the other instances
     */
    public InventoryQueries(final StateAccess access, final HostInfo self, final PeerClient peers) {
        this.access = Objects.requireNonNull(access, "access");
        this.self = Objects.requireNonNull(self, "self");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.servedBy = endpoint(self);
    }

    /** {@code host:port}, the form of {@code application.server} and of {@code servedBy}. */
    public static String endpoint(final HostInfo host) {
        return host.host() + ":" + host.port();
    }

    public HostInfo self() {
        return self;
    }

    /** Ready when the client is running and every store it hosts an active partition of answers. */
    public Readiness readiness() {
        final Optional<String> notRunning = notRunning();
        if (notRunning.isPresent()) {
            return Readiness.notReady(notRunning.get());
        }
        for (final QueryableStore<?> store : STORES) {
            // An instance without active partitions of a store (more instances than partitions) is still useful:
            // it forwards. Its store would refuse to open, so it is not probed.
            if (!access.activeHosts(store).contains(self)) {
                continue;
            }
            try {
                access.localStore(store).approximateNumEntries();
            } catch (final UnknownStateStoreException e) {
                throw e;
            } catch (final InvalidStateStoreException e) {
                LOG.debug("store {} is not queryable yet: {}", store.name(), e.getMessage());
                return Readiness.notReady("store " + store.name() + " is not queryable yet");
            }
        }
        return Readiness.READY;
    }

    public QueryResult<ProductView> product(final String productId, final RequestOrigin origin) {
        return product(productId, origin, Consistency.LATEST);
    }

    public QueryResult<ProductView> product(final String productId, final RequestOrigin origin,
                                            final Consistency consistency) {
        return lookup(QueryableStore.INVENTORY, productId, origin, consistency, "product",
            state -> state.exists() ? Optional.of(ProductView.of(state, servedBy)) : Optional.empty(),
            (owner, wanted) -> peers.product(owner, productId, wanted));
    }

    public QueryResult<OrderView> order(final String orderId, final RequestOrigin origin) {
        return order(orderId, origin, Consistency.LATEST);
    }

    public QueryResult<OrderView> order(final String orderId, final RequestOrigin origin,
                                        final Consistency consistency) {
        return lookup(QueryableStore.ORDERS, orderId, origin, consistency, "order",
            state -> Optional.of(OrderView.of(state, servedBy)),
            (owner, wanted) -> peers.order(owner, orderId, wanted));
    }

    /**
     * Up to {@code limit} products whose id follows {@code after} ({@code null} for the first page), gathered from
     * every instance. Any instance that cannot answer makes the whole page unavailable: a page without its items
     * would skip them for good, since the next page starts after its last id.
     */
    public QueryResult<ProductPage> products(final int limit, final String after) {
        checkLimit(limit, MAX_PAGE_SIZE);
        final Optional<String> notRunning = notRunning();
        if (notRunning.isPresent()) {
            return new QueryResult.Unavailable<>(notRunning.get(), RETRY_AFTER_SECONDS);
        }
        final List<HostInfo> hosts = access.activeHosts(QueryableStore.INVENTORY);
        if (hosts.isEmpty()) {
            return new QueryResult.Unavailable<>("no instance hosts the inventory yet", RETRY_AFTER_SECONDS);
        }
        // A key is in one active partition only; while a partition moves, keeping the first copy avoids a duplicate.
        final TreeMap<String, ProductView> merged = new TreeMap<>(KEY_ORDER);
        for (final HostInfo host : hosts) {
            final QueryResult<ProductSlice> slice = host.equals(self)
                ? localInventorySlice(limit + 1, after)
                : peers.inventorySlice(host, limit + 1, after);
            final Optional<ProductSlice> items = found(slice);
            if (items.isEmpty()) {
                return new QueryResult.Unavailable<>("instance " + endpoint(host) + " cannot list its inventory: "
                    + reason(slice), retryAfter(slice));
            }
            items.get().items().forEach(item -> merged.putIfAbsent(item.productId(), item));
        }
        final List<ProductView> page = new ArrayList<>(Math.min(limit, merged.size()));
        for (final ProductView item : merged.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(item);
        }
        final String next = merged.size() > limit ? page.get(page.size() - 1).productId() : null;
        return new QueryResult.FoundLocally<>(new ProductPage(page, next));
    }

    /**
     * The first {@code limit} existing products after {@code after} in this instance's active partitions: this
     * instance's part of {@link #products}, served to the other instances.
     */
    public QueryResult<ProductSlice> localInventorySlice(final int limit, final String after) {
        checkLimit(limit, MAX_SLICE_SIZE);
        final Optional<String> notRunning = notRunning();
        if (notRunning.isPresent()) {
            return new QueryResult.Unavailable<>(notRunning.get(), RETRY_AFTER_SECONDS);
        }
        try {
            final ReadOnlyKeyValueStore<String, ProductState> store = access.localStore(QueryableStore.INVENTORY);
            // The local store chains its partitions' scans, each sorted on its own, so the smallest keys can come
            // last: keep the smallest seen, never more than limit of them.
            final TreeMap<String, ProductView> smallest = new TreeMap<>(KEY_ORDER);
            try (KeyValueIterator<String, ProductState> entries = after == null ? store.all()
                : store.range(after, null)) {
                while (entries.hasNext()) {
                    final KeyValue<String, ProductState> entry = entries.next();
                    if (entry.value == null || !entry.value.exists()
                        || after != null && KEY_ORDER.compare(entry.key, after) <= 0) {
                        continue;
                    }
                    if (smallest.size() < limit) {
                        smallest.put(entry.key, ProductView.of(entry.value, servedBy));
                    } else if (KEY_ORDER.compare(entry.key, smallest.lastKey()) < 0) {
                        smallest.pollLastEntry();
                        smallest.put(entry.key, ProductView.of(entry.value, servedBy));
                    }
                }
            }
            return new QueryResult.FoundLocally<>(new ProductSlice(List.copyOf(smallest.values()), servedBy));
        } catch (final UnknownStateStoreException e) {
            throw e;
        } catch (final InvalidStateStoreException e) {
            LOG.debug("inventory store is not queryable: {}", e.getMessage());
            return new QueryResult.Unavailable<>("the inventory store is not queryable on " + servedBy + " now",
                RETRY_AFTER_SECONDS);
        }
    }

    private <V, R> QueryResult<R> lookup(final QueryableStore<V> store, final String key, final RequestOrigin origin,
                                         final Consistency consistency, final String what,
                                         final Function<V, Optional<R>> view,
                                         final BiFunction<HostInfo, Consistency, QueryResult<R>> forward) {
        Objects.requireNonNull(key, "key");
        final QueryResult<R> latest = latest(store, key, origin, consistency, what, view, forward);
        if (consistency == Consistency.LATEST || !(latest instanceof QueryResult.Unavailable<R> unavailable)) {
            return latest;
        }
        return stale(store, key, origin, what, view, forward, unavailable);
    }

    private <V, R> QueryResult<R> latest(final QueryableStore<V> store, final String key, final RequestOrigin origin,
                                         final Consistency consistency, final String what,
                                         final Function<V, Optional<R>> view,
                                         final BiFunction<HostInfo, Consistency, QueryResult<R>> forward) {
        final Optional<String> notRunning = notRunning();
        if (notRunning.isPresent()) {
            return new QueryResult.Unavailable<>(notRunning.get(), RETRY_AFTER_SECONDS);
        }
        final KeyQueryMetadata metadata = access.keyMetadata(store, key);
        if (!hasActiveHost(metadata)) {
            return new QueryResult.Unavailable<>("the owner of " + what + " '" + key + "' is not known now",
                RETRY_AFTER_SECONDS);
        }
        final HostInfo owner = metadata.activeHost();
        if (owner.equals(self)) {
            return readLocal(store, metadata.partition(), key, what, view);
        }
        if (origin == RequestOrigin.PEER) {
            // The sender thinks this instance owns the key and this instance thinks otherwise: ownership is moving.
            // Forwarding on could bounce between the two; the client's retry will find the settled owner.
            LOG.debug("forwarded {} '{}' is owned by {}, not by this instance", what, key, endpoint(owner));
            return new QueryResult.Unavailable<>("the owner of " + what + " '" + key + "' is moving",
                RETRY_AFTER_SECONDS);
        }
        LOG.debug("forwarding {} '{}' to its owner {}", what, key, endpoint(owner));
        return forward.apply(owner, consistency);
    }

    /**
     * The owner could not answer and the caller accepts a lagging copy: this instance's copy of the key's partition
     * if it has one (standby, or active and restoring), else, for a client's request, another instance's copy,
     * standbys first. Each answer carries the copy's lag, so a stale number is never passed off as current.
     */
    private <V, R> QueryResult<R> stale(final QueryableStore<V> store, final String key, final RequestOrigin origin,
                                        final String what, final Function<V, Optional<R>> view,
                                        final BiFunction<HostInfo, Consistency, QueryResult<R>> forward,
                                        final QueryResult.Unavailable<R> unavailable) {
        final KeyQueryMetadata metadata = access.keyMetadata(store, key);
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.partition() < 0) {
            return unavailable;
        }
        final int partition = metadata.partition();
        try {
            final V value = access.localStaleStore(store, partition).get(key);
            final long lag = access.offsetLag(store, partition).orElse(-1L);
            final Optional<R> found = value == null ? Optional.empty() : view.apply(value);
            if (found.isPresent() && lag >= 0) {
                return new QueryResult.FoundStale<>(found.get(), lag, servedBy);
            }
            if (found.isEmpty() && lag == 0) {
                return new QueryResult.NotFound<>(what + " '" + key + "' not found");
            }
            // A copy of unknown lag says nothing trustworthy; nor does a miss in a lagging copy, which may be a
            // copy still being filled: the key may well exist.
            LOG.debug("local copy of {} partition {} cannot answer for '{}' (lag {})", store.name(), partition, key,
                lag);
        } catch (final UnknownStateStoreException e) {
            throw e;
        } catch (final InvalidStateStoreException e) {
            LOG.debug("no local copy of {} partition {}: {}", store.name(), partition, e.getMessage());
        }
        if (origin == RequestOrigin.PEER) {
            return unavailable;
        }
        final List<HostInfo> copies = new ArrayList<>(metadata.standbyHosts());
        // While this client runs, the owner was asked already (and could not answer); otherwise it may yet.
        if (metadata.activeHost() != null && notRunning().isPresent()) {
            copies.add(metadata.activeHost());
        }
        for (final HostInfo host : copies) {
            if (host.equals(self) || HostInfo.unavailable().equals(host)) {
                continue;
            }
            final QueryResult<R> answer = forward.apply(host, Consistency.STALE_ALLOWED);
            if (!(answer instanceof QueryResult.Unavailable<R>)) {
                return answer;
            }
        }
        return unavailable;
    }

    private <V, R> QueryResult<R> readLocal(final QueryableStore<V> store, final int partition, final String key,
                                            final String what, final Function<V, Optional<R>> view) {
        try {
            final V value = access.localStore(store, partition).get(key);
            final Optional<R> found = value == null ? Optional.empty() : view.apply(value);
            return found.<QueryResult<R>>map(QueryResult.FoundLocally::new)
                .orElseGet(() -> new QueryResult.NotFound<>(what + " '" + key + "' not found"));
        } catch (final UnknownStateStoreException e) {
            // A store name that does not exist is a bug, not a passing state: let it surface.
            throw e;
        } catch (final InvalidStateStoreException e) {
            LOG.debug("store {} partition {} is not queryable: {}", store.name(), partition, e.getMessage());
            return new QueryResult.Unavailable<>("the " + store.name() + " store is not queryable on " + servedBy
                + " now", RETRY_AFTER_SECONDS);
        }
    }

    private Optional<String> notRunning() {
        final KafkaStreams.State state = access.state();
        return state == KafkaStreams.State.RUNNING ? Optional.empty() : Optional.of("streams state is " + state);
    }

    private static boolean hasActiveHost(final KeyQueryMetadata metadata) {
        return metadata != null
            && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
            && metadata.activeHost() != null
            && !HostInfo.unavailable().equals(metadata.activeHost())
            && metadata.partition() >= 0;
    }

    private static void checkLimit(final int limit, final int max) {
        if (limit < 1 || limit > max) {
            throw new IllegalArgumentException("limit must be between 1 and " + max + ", got " + limit);
        }
    }

    private static <T> Optional<T> found(final QueryResult<T> result) {
        if (result instanceof QueryResult.FoundLocally<T> local) {
            return Optional.of(local.value());
        }
        if (result instanceof QueryResult.FoundRemotely<T> remote) {
            return Optional.of(remote.value());
        }
        if (result instanceof QueryResult.FoundStale<T> stale) {
            return Optional.of(stale.value());
        }
        return Optional.empty();
    }

    private static String reason(final QueryResult<?> result) {
        if (result instanceof QueryResult.Unavailable<?> unavailable) {
            return unavailable.reason();
        }
        if (result instanceof QueryResult.NotFound<?> notFound) {
            return notFound.message();
        }
        return "unexpected answer";
    }

    private static int retryAfter(final QueryResult<?> result) {
        return result instanceof QueryResult.Unavailable<?> unavailable
            ? unavailable.retryAfterSeconds() : RETRY_AFTER_SECONDS;
    }
}
