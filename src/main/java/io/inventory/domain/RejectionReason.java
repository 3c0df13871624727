package io.inventory.domain;

/** Why an inventory command was not applied: the stable codes of {@code inventory.commands.rejected}. */
public enum RejectionReason {
    /** A create for a product that exists. */
    PRODUCT_EXISTS,
    /** Any other command for a product that does not exist (never created, or deleted). */
    UNKNOWN_PRODUCT,
    /** A delete, a quantity update or an adjustment that would leave reserved or held units uncovered. */
    RESERVATIONS_UNCOVERED,
    /** A quantity or delta outside the accepted range, or an adjustment that would take stock below zero or above it. */
    INVALID_QUANTITY,
    /** A negative price. */
    INVALID_PRICE
}
