package io.inventory.serde;

/** Why an inbound record went to the dead letter topic; the value of its {@code dlq.reason} header. */
public enum InvalidReason {
    /** No value at all (a tombstone). */
    EMPTY,
    /** Not UTF-8 JSON, or JSON beyond the accepted nesting depth or number size. */
    NOT_JSON,
    /** JSON, but not an envelope object with eventId, eventType and payload. */
    NOT_AN_ENVELOPE,
    /** An eventType this topic does not carry. */
    WRONG_EVENT_TYPE,
    /** A required field is missing, blank, too long or of the wrong type. */
    INVALID_FIELD,
    /** A quantity that is not a positive integer within the accepted range. */
    INVALID_QUANTITY
}
