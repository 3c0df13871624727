package io.inventory.topology;

import io.inventory.domain.InventoryCommand;
import io.inventory.domain.StockRequest;

/**
 * What reaches the stock task, keyed by productId: an item command or an order's request, matched as
 * {@code match(onCommand, onRequest)}. On the wire ({@code commands-by-product}, {@code holds-by-product}) it is
 * {@code {"command":...}} or {@code {"request":...}} ({@link InputSerdes}).
 */
public sealed interface StockInput extends OneOf<InventoryCommand, StockRequest>
    permits StockInput.Command, StockInput.Request {

    default String productId() {
        return match(InventoryCommand::productId, StockRequest::productId);
    }

    record Command(InventoryCommand value) implements StockInput, OneOf.First<InventoryCommand, StockRequest> {
    }

    record Request(StockRequest value) implements StockInput, OneOf.Second<InventoryCommand, StockRequest> {
    }
}
