package io.inventory.domain;

import java.math.BigDecimal;
import java.util.function.Function;

/**
 * A change to the catalogue or the stock of one product, from {@code inventory.commands}.
 * {@code commandId} is the envelope's {@code eventId}: a redelivered command carries the same one and applies once.
 */
public sealed interface InventoryCommand {

    String commandId();

    String productId();

    Cause cause();

    /** The envelope's {@code eventType}, echoed in rejections. */
    String commandType();

    record CreateItem(String commandId, String productId, String title, String brand, long quantity,
                      BigDecimal price, String currency, Cause cause) implements InventoryCommand {
        @Override
        public String commandType() {
            return "CreateInventoryItem";
        }
    }

    /** Every field but the ids is optional: {@code null} leaves it as it is. */
    record UpdateItem(String commandId, String productId, String title, String brand, Long quantity,
                      BigDecimal price, String currency, Cause cause) implements InventoryCommand {
        @Override
        public String commandType() {
            return "UpdateInventoryItem";
        }
    }

    record DeleteItem(String commandId, String productId, Cause cause) implements InventoryCommand {
        @Override
        public String commandType() {
            return "DeleteInventoryItem";
        }
    }

    record AdjustStock(String commandId, String productId, long delta, Cause cause) implements InventoryCommand {
        @Override
        public String commandType() {
            return "AdjustInventoryStock";
        }
    }

    /** The one function of the command's case applied to it; see {@link OrderEvent#match}. */
    default <R> R match(final Function<CreateItem, R> onCreate, final Function<UpdateItem, R> onUpdate,
                        final Function<DeleteItem, R> onDelete, final Function<AdjustStock, R> onAdjust) {
        return Case.match(this, new Case<>(CreateItem.class, onCreate), new Case<>(UpdateItem.class, onUpdate),
            new Case<>(DeleteItem.class, onDelete), new Case<>(AdjustStock.class, onAdjust));
    }
}
