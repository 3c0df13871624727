package io.inventory.topology;

import io.inventory.domain.InventoryCommand;
import io.inventory.domain.StockRequest;
import java.util.function.Function;

/**
 * What reaches the stock task, keyed by productId: an item command or an order's request. On the wire
 * ({@code commands-by-product}, {@code holds-by-product}) it is {@code {"command":...}} or {@code {"request":...}}
 * ({@link InputSerdes}).
 */
public sealed interface StockInput permits StockInput.Command, StockInput.Request {

    /** The one function of the input's case applied to its value; see {@link OrderInput#match}. */
    <R> R match(Function<InventoryCommand, R> onCommand, Function<StockRequest, R> onRequest);

    default String productId() {
        return match(InventoryCommand::productId, StockRequest::productId);
    }

    record Command(InventoryCommand command) implements StockInput {
        @Override
        public <R> R match(final Function<InventoryCommand, R> onCommand,
                           final Function<StockRequest, R> onRequest) {
            return onCommand.apply(command);
        }
    }

    record Request(StockRequest request) implements StockInput {
        @Override
        public <R> R match(final Function<InventoryCommand, R> onCommand,
                           final Function<StockRequest, R> onRequest) {
            return onRequest.apply(request);
        }
    }
}
