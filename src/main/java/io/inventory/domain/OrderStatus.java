package io.inventory.domain;

/** Where an order stands once no decision is pending for it. */
public enum OrderStatus {
    /** Known only from events that came before its create (a cancel marker is {@link #CANCELLED}). */
    NEW,
    /** Every line is reserved. */
    RESERVED,
    /** The create failed; the order holds nothing. An update may still reserve it. */
    FAILED,
    /** Cancelled: the order holds nothing, and a late create fails with {@code ORDER_CANCELLED}. */
    CANCELLED,
    /** Everything the order held has shipped; a later cancel changes nothing, an update or fulfilment fails. */
    FULFILLED,
    /** The reservation outlived {@code RESERVATION_TTL} and was released; an update may reserve the order anew. */
    EXPIRED
}
