package io.inventory.query;

import io.inventory.domain.OrderState;
import io.inventory.domain.ProductState;
import io.inventory.topology.Topics;

/**
 * A key-value store that can be queried, with the type of its values; the type parameter lets
 * {@link StateAccess} hand out typed stores without a cast at every call site.
 *
 * @param name the store name, as in {@link Topics}
 * @param <V> the value type of the store; its keys are always {@code String}
 */
public record QueryableStore<V>(String name) {

    /** Key productId, value {@link ProductState}. */
    public static final QueryableStore<ProductState> INVENTORY = new QueryableStore<>(Topics.INVENTORY_STORE);

    /** Key orderId, value {@link OrderState}. */
    public static final QueryableStore<OrderState> ORDERS = new QueryableStore<>(Topics.ORDERS_STORE);
}
