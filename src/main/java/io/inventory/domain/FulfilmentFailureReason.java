package io.inventory.domain;

/** Why a fulfilment was not applied: the stable codes of {@code inventory.fulfilment.failed}. */
public enum FulfilmentFailureReason {
    /** A product's lines ask more than the order holds of it (or the order does not hold it). */
    EXCEEDS_RESERVATION,
    /** The order was never seen, never placed, or its create failed. */
    UNKNOWN_ORDER,
    /** The order was cancelled (or a cancel came before its create). */
    ORDER_CANCELLED,
    /** The order has shipped everything it held. */
    ORDER_FULFILLED,
    /** The order's reservation expired. */
    RESERVATION_EXPIRED
}
