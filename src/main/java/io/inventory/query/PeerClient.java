package io.inventory.query;

import org.apache.kafka.streams.state.HostInfo;

/**
 * Queries another instance of the service. Every request is marked as forwarded, so the receiver answers from
 * its own stores or not at all; an implementation maps transport failures to {@link QueryResult.Unavailable}.
 */
public interface PeerClient {

    QueryResult<ProductView> product(HostInfo owner, String productId, Consistency consistency);

    QueryResult<OrderView> order(HostInfo owner, String orderId, Consistency consistency);

    /** The instance's local slice: at most {@code limit} products after {@code after} ({@code null}: from the start). */
    QueryResult<ProductSlice> inventorySlice(HostInfo host, int limit, String after);
}
