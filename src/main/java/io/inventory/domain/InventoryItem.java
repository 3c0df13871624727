package io.inventory.domain;

import java.math.BigDecimal;
import java.util.Objects;

/** The catalogue side of a product: what it is, what it costs and how many units are on hand. */
public record InventoryItem(String productId, String title, String brand, BigDecimal price, String currency, long onHand) {

    public InventoryItem {
        Objects.requireNonNull(productId, "productId");
    }

    public InventoryItem withOnHand(final long newOnHand) {
        return new InventoryItem(productId, title, brand, price, currency, newOnHand);
    }
}
