package io.inventory.domain;

/** Why an order (or one of its lines) could not be reserved: the stable codes of {@code inventory.reservation.failed}. */
public enum FailureReason {
    INSUFFICIENT_STOCK,
    UNKNOWN_PRODUCT,
    INVALID_QUANTITY,
    ORDER_CANCELLED,
    UNKNOWN_ORDER,
    /** An update of an order that has shipped (part of) its lines. */
    ORDER_FULFILLED,
    /** The product's owner did not answer within {@code DECISION_TIMEOUT}. */
    DECISION_TIMEOUT
}
