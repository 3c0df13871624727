package io.inventory.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of the product listing, sorted by productId. {@code next} is the last productId of the page when more
 * items follow (pass it as {@code after}), {@code null} on the last page; it is written even when {@code null}.
 */
public record ProductPage(List<ProductView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String next) {

    public ProductPage {
        items = List.copyOf(items);
    }
}
