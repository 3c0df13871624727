package io.inventory.command;

import io.inventory.domain.InventoryCommand;
import java.util.Objects;

/**
 * A validated item command, ready to go to {@code inventory.commands}: {@code envelope} is the record value (a
 * contract envelope whose {@code eventId} is {@code command.commandId()}), keyed by the product id.
 */
public record PreparedCommand(InventoryCommand command, byte[] envelope) {

    public PreparedCommand {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(envelope, "envelope");
    }

    public String commandId() {
        return command.commandId();
    }

    public String productId() {
        return command.productId();
    }
}
