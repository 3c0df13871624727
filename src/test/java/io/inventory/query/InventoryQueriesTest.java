package io.inventory.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.domain.ProductState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class InventoryQueriesTest {

    private static final HostInfo SELF = new HostInfo("inventory-0", 8080);
    private static final HostInfo OTHER = new HostInfo("inventory-1", 8080);

    private final FakeStateAccess access = new FakeStateAccess(SELF);
    private final RecordingPeers peers = new RecordingPeers();
    private final InventoryQueries queries = new InventoryQueries(access, SELF, peers);

    @Test
    void shouldReadAnOwnedProductFromTheLocalStore() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT);

        assertThat(result).isEqualTo(new QueryResult.FoundLocally<>(new ProductView("p-1", "Trail shoe p-1", "Acme",
            new BigDecimal("89.90"), "EUR", 10, 3, 2, 5, "inventory-0:8080")));
        assertThat(peers.calls).isEmpty();
    }

    @Test
    void shouldAnswerNotFoundForAnAbsentProduct() {
        assertThat(queries.product("p-404", RequestOrigin.CLIENT)).isInstanceOf(QueryResult.NotFound.class);
    }

    @Test
    void shouldAnswerNotFoundForADeletedProduct() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.deleted("p-1"));

        assertThat(queries.product("p-1", RequestOrigin.CLIENT)).isInstanceOf(QueryResult.NotFound.class);
    }

    @Test
    void shouldBeUnavailableWhileRebalancingWithoutLookingForTheOwner() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1")).state(KafkaStreams.State.REBALANCING);

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT);

        assertThat(result).isEqualTo(new QueryResult.Unavailable<>("streams state is REBALANCING",
            InventoryQueries.RETRY_AFTER_SECONDS));
        assertThat(access.keyLookups()).isZero();
    }

    @Test
    void shouldNeverForwardWhenTheOwnerIsNotAvailable() {
        access.owners((store, key) -> KeyQueryMetadata.NOT_AVAILABLE);

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT);

        assertThat(result).isInstanceOf(QueryResult.Unavailable.class);
        assertThat(peers.calls).isEmpty();
    }

    @Test
    void shouldBeUnavailableWhileTheOwnedStoreRestores() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1")).unqueryable(QueryableStore.INVENTORY);

        assertThat(queries.product("p-1", RequestOrigin.CLIENT)).isInstanceOf(QueryResult.Unavailable.class);
    }

    @Test
    void shouldBeUnavailableRatherThanNotFoundWhenTheOwnedPartitionIsNotLocalYet() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"))
            .owners((store, key) -> FakeStateAccess.owner(SELF, 7));

        assertThat(queries.product("p-1", RequestOrigin.CLIENT)).isInstanceOf(QueryResult.Unavailable.class);
    }

    @Test
    void shouldForwardAKeyOwnedByAnotherInstanceToItsOwner() {
        access.owners((store, key) -> FakeStateAccess.owner(OTHER, 1));

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT);

        assertThat(peers.calls).containsExactly("product p-1 @ inventory-1:8080");
        assertThat(result).isInstanceOf(QueryResult.FoundRemotely.class);
    }

    @Test
    void shouldNotForwardAForwardedRequestAgain() {
        access.owners((store, key) -> FakeStateAccess.owner(OTHER, 1));

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.PEER);

        assertThat(result).isInstanceOf(QueryResult.Unavailable.class);
        assertThat(peers.calls).isEmpty();
    }

    @Test
    void shouldReportAnOrderAsPendingWhileItsDecisionIsAwaited() {
        access.put(QueryableStore.ORDERS, "o-1", Fixtures.pendingOrder("o-1"));

        final QueryResult<OrderView> result = queries.order("o-1", RequestOrigin.CLIENT);

        assertThat(result).isEqualTo(new QueryResult.FoundLocally<>(new OrderView("o-1", "PENDING", true,
            Map.of(), Map.of(), "inventory-0:8080")));
    }

    @Test
    void shouldReportTheStatusAndHoldsOfASettledOrder() {
        access.put(QueryableStore.ORDERS, "o-1", Fixtures.reservedOrder("o-1"));

        final QueryResult<OrderView> result = queries.order("o-1", RequestOrigin.CLIENT);

        assertThat(result).isEqualTo(new QueryResult.FoundLocally<>(new OrderView("o-1", "RESERVED", true,
            Map.of("p-1", 2L, "p-2", 1L), Map.of(), "inventory-0:8080")));
    }

    @Test
    void shouldForwardAnOrderOwnedByAnotherInstance() {
        access.owners((store, key) -> FakeStateAccess.owner(OTHER, 0));

        queries.order("o-1", RequestOrigin.CLIENT);

        assertThat(peers.calls).containsExactly("order o-1 @ inventory-1:8080");
    }

    @Test
    void shouldSliceTheSmallestKeysAlthoughPartitionsAreScannedOneAfterAnother() {
        access.put(QueryableStore.INVENTORY, 0, "p-5", Fixtures.product("p-5"))
            .put(QueryableStore.INVENTORY, 0, "p-6", Fixtures.product("p-6"))
            .put(QueryableStore.INVENTORY, 1, "p-1", Fixtures.product("p-1"))
            .put(QueryableStore.INVENTORY, 1, "p-4", Fixtures.product("p-4"))
            .put(QueryableStore.INVENTORY, 2, "p-2", Fixtures.deleted("p-2"))
            .put(QueryableStore.INVENTORY, 2, "p-3", Fixtures.product("p-3"));

        assertThat(ids(queries.localInventorySlice(3, null))).containsExactly("p-1", "p-3", "p-4");
        assertThat(ids(queries.localInventorySlice(3, "p-3"))).containsExactly("p-4", "p-5", "p-6");
        assertThat(ids(queries.localInventorySlice(3, "p-6"))).isEmpty();
        assertThat(access.openIterators()).isZero();
    }

    @Test
    void shouldMergeTheSlicesOfEveryInstanceIntoOnePage() {
        access.activeHosts(List.of(SELF, OTHER))
            .put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"))
            .put(QueryableStore.INVENTORY, "p-4", Fixtures.product("p-4"));
        peers.slice = List.of(Fixtures.product("p-2"), Fixtures.product("p-3"));

        final QueryResult<ProductPage> first = queries.products(3, null);

        assertThat(first).isInstanceOf(QueryResult.FoundLocally.class);
        final ProductPage page = ((QueryResult.FoundLocally<ProductPage>) first).value();
        assertThat(page.items()).extracting(ProductView::productId).containsExactly("p-1", "p-2", "p-3");
        assertThat(page.next()).isEqualTo("p-3");
        assertThat(peers.calls).containsExactly("slice 4 after null @ inventory-1:8080");
    }

    @Test
    void shouldEndTheListingWithoutNextWhenNoMoreItemsFollow() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"))
            .put(QueryableStore.INVENTORY, "p-2", Fixtures.product("p-2"));

        final ProductPage page = ((QueryResult.FoundLocally<ProductPage>) queries.products(2, null)).value();

        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).isNull();
    }

    @Test
    void shouldMakeTheWholePageUnavailableWhenOneInstanceCannotAnswer() {
        access.activeHosts(List.of(SELF, OTHER)).put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        peers.slice = null;

        final QueryResult<ProductPage> result = queries.products(10, null);

        assertThat(result).isInstanceOf(QueryResult.Unavailable.class);
        assertThat(((QueryResult.Unavailable<ProductPage>) result).reason()).contains("inventory-1:8080");
    }

    @Test
    void shouldBeUnavailableToListWhenNoInstanceHostsTheInventory() {
        access.activeHosts(List.of());

        assertThat(queries.products(10, null)).isInstanceOf(QueryResult.Unavailable.class);
    }

    @Test
    void shouldRefuseALimitOutOfRange() {
        assertThatThrownBy(() -> queries.products(0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queries.products(InventoryQueries.MAX_PAGE_SIZE + 1, null))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBeReadyWhenRunningAndItsStoresAnswer() {
        assertThat(queries.readiness()).isEqualTo(Readiness.READY);
    }

    @Test
    void shouldNotBeReadyWhileRebalancing() {
        access.state(KafkaStreams.State.REBALANCING);

        assertThat(queries.readiness().ready()).isFalse();
        assertThat(queries.readiness().reason()).contains("REBALANCING");
    }

    @Test
    void shouldNotBeReadyWhileAHostedStoreRestores() {
        access.unqueryable(QueryableStore.ORDERS);

        assertThat(queries.readiness().ready()).isFalse();
        assertThat(queries.readiness().reason()).contains("orders");
    }

    @Test
    void shouldBeReadyWithoutActivePartitionsToProbe() {
        access.unqueryable(QueryableStore.ORDERS).activeHosts(List.of(OTHER));

        assertThat(queries.readiness()).isEqualTo(Readiness.READY);
    }

    @Test
    void shouldOrderKeysAsTheStoresDoByUtf8Bytes() {
        final String lastBmpChar = "\uFFFF";
        final String emoji = "\uD83D\uDE00";

        assertThat(lastBmpChar.compareTo(emoji)).isPositive();
        assertThat(InventoryQueries.KEY_ORDER.compare(lastBmpChar, emoji)).isNegative();
    }

    @Test
    void shouldServeAStaleReadFromALocalStandbyWithItsLagWhileRebalancing() {
        access.standby(QueryableStore.INVENTORY, 1, "p-1", Fixtures.product("p-1"), 42)
            .owners((store, key) -> new KeyQueryMetadata(OTHER, java.util.Set.of(SELF), 1))
            .state(KafkaStreams.State.REBALANCING);

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT,
            Consistency.STALE_ALLOWED);

        assertThat(result).isInstanceOfSatisfying(QueryResult.FoundStale.class, stale -> {
            assertThat(stale.offsetLag()).isEqualTo(42);
            assertThat(stale.servedBy()).isEqualTo("inventory-0:8080");
            assertThat(((ProductView) stale.value()).productId()).isEqualTo("p-1");
        });
        assertThat(peers.calls).isEmpty();
    }

    @Test
    void shouldNotAnswerNotFoundFromACopyThatLags() {
        access.standby(QueryableStore.INVENTORY, 1, "p-other", Fixtures.product("p-other"), 7)
            .owners((store, key) -> new KeyQueryMetadata(OTHER, java.util.Set.of(SELF), 1))
            .state(KafkaStreams.State.REBALANCING);
        peers.unavailable.add(OTHER);

        // The copy lacks p-1, but it is 7 records behind: p-1 may be among them.
        assertThat(queries.product("p-1", RequestOrigin.CLIENT, Consistency.STALE_ALLOWED))
            .isInstanceOf(QueryResult.Unavailable.class);
    }

    @Test
    void shouldNeverServeAStandbyWhenTheCallerWantsTheLatest() {
        access.standby(QueryableStore.INVENTORY, 1, "p-1", Fixtures.product("p-1"), 0)
            .owners((store, key) -> new KeyQueryMetadata(OTHER, java.util.Set.of(SELF), 1))
            .state(KafkaStreams.State.REBALANCING);

        assertThat(queries.product("p-1", RequestOrigin.CLIENT)).isInstanceOf(QueryResult.Unavailable.class);
    }

    @Test
    void shouldAskAnotherInstancesStandbyWhenTheOwnerIsUnreachableAndStaleIsAllowed() {
        final HostInfo standby = new HostInfo("inventory-2", 8080);
        access.owners((store, key) -> new KeyQueryMetadata(OTHER, java.util.Set.of(standby), 1));
        peers.unavailable.add(OTHER);

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT,
            Consistency.STALE_ALLOWED);

        assertThat(result).isInstanceOf(QueryResult.FoundRemotely.class);
        assertThat(peers.calls).containsExactly("product p-1 @ inventory-1:8080 stale",
            "product p-1 @ inventory-2:8080 stale");
    }

    @Test
    void shouldStayUnavailableWhenNoCopyCanAnswer() {
        access.owners((store, key) -> new KeyQueryMetadata(OTHER, java.util.Set.of(), 1));
        peers.unavailable.add(OTHER);

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.CLIENT,
            Consistency.STALE_ALLOWED);

        assertThat(result).isInstanceOf(QueryResult.Unavailable.class);
        // The owner was asked once for the latest-or-stale answer, and not again as a stale copy.
        assertThat(peers.calls).containsExactly("product p-1 @ inventory-1:8080 stale");
    }

    @Test
    void shouldNotForwardAStaleReadThatCameFromAPeer() {
        final HostInfo standby = new HostInfo("inventory-2", 8080);
        access.owners((store, key) -> new KeyQueryMetadata(OTHER, java.util.Set.of(standby), 1))
            .state(KafkaStreams.State.REBALANCING);

        final QueryResult<ProductView> result = queries.product("p-1", RequestOrigin.PEER,
            Consistency.STALE_ALLOWED);

        assertThat(result).isInstanceOf(QueryResult.Unavailable.class);
        assertThat(peers.calls).isEmpty();
    }

    private static List<String> ids(final QueryResult<ProductSlice> slice) {
        return ((QueryResult.FoundLocally<ProductSlice>) slice).value().items().stream()
            .map(ProductView::productId).toList();
    }

    /** Records what would have been sent to other instances; a {@code null} slice means the peer is unavailable. */
    private static final class RecordingPeers implements PeerClient {

        private final List<String> calls = new ArrayList<>();
        private List<ProductState> slice = List.of();
        private final java.util.Set<HostInfo> unavailable = new java.util.HashSet<>();

        @Override
        public QueryResult<ProductView> product(final HostInfo owner, final String productId,
                                                final Consistency consistency) {
            calls.add("product " + productId + " @ " + InventoryQueries.endpoint(owner)
                + (consistency == Consistency.STALE_ALLOWED ? " stale" : ""));
            if (unavailable.contains(owner)) {
                return new QueryResult.Unavailable<>(InventoryQueries.endpoint(owner) + " is unreachable", 2);
            }
            return new QueryResult.FoundRemotely<>(ProductView.of(Fixtures.product(productId),
                InventoryQueries.endpoint(owner)), owner);
        }

        @Override
        public QueryResult<OrderView> order(final HostInfo owner, final String orderId,
                                            final Consistency consistency) {
            calls.add("order " + orderId + " @ " + InventoryQueries.endpoint(owner));
            return new QueryResult.NotFound<>("order '" + orderId + "' not found");
        }

        @Override
        public QueryResult<ProductSlice> inventorySlice(final HostInfo host, final int limit, final String after) {
            calls.add("slice " + limit + " after " + after + " @ " + InventoryQueries.endpoint(host));
            if (slice == null) {
                return new QueryResult.Unavailable<>("streams state is REBALANCING", 2);
            }
            final String servedBy = InventoryQueries.endpoint(host);
            return new QueryResult.FoundRemotely<>(new ProductSlice(slice.stream()
                .map(state -> ProductView.of(state, servedBy)).toList(), servedBy), host);
        }
    }
}
