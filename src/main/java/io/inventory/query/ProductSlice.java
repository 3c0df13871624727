package io.inventory.query;

import java.util.List;

/** The products one instance holds in its active partitions, sorted by productId; one part of a page. */
public record ProductSlice(List<ProductView> items, String servedBy) {

    public ProductSlice {
        items = List.copyOf(items);
    }
}
