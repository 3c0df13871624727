package io.inventory.domain;

/**
 * Units of one product set aside for one order, and the order's step that last changed them.
 * The step makes every stock request idempotent: a request whose step is not newer than the
 * allocation's has been applied already.
 */
public record Allocation(long quantity, long step) {
}
