package io.inventory.domain;

/** An outbound event together with the inbound event that caused it. */
public record Emitted(InventoryEvent event, Cause cause) {
}
