package io.inventory.topology;

import io.inventory.domain.InventoryCommand;
import io.inventory.domain.StockRequest;

/** What reaches the stock task, keyed by productId: an item command or an order's request; exactly one is set. */
public record StockInput(InventoryCommand command, StockRequest request) {

    public static StockInput of(final InventoryCommand command) {
        return new StockInput(command, null);
    }

    public static StockInput of(final StockRequest request) {
        return new StockInput(null, request);
    }
}
