package io.inventory.query;

import io.inventory.domain.InventoryItem;
import io.inventory.domain.ProductState;
import java.math.BigDecimal;

/** A product as the API shows it, with the instance that read it from its store. */
public record ProductView(String productId, String title, String brand, BigDecimal price, String currency,
                          long onHand, long reserved, long held, long available, String servedBy) {

    /** The view of an existing product; {@code state.item()} must not be {@code null}. */
    public static ProductView of(final ProductState state, final String servedBy) {
        final InventoryItem item = state.item();
        return new ProductView(item.productId(), item.title(), item.brand(), item.price(), item.currency(),
            state.onHand(), state.reserved(), state.held(), state.available(), servedBy);
    }
}
