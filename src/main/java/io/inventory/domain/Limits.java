package io.inventory.domain;

/**
 * Bounds on what the service accepts. They keep every sum of quantities far from {@code long} overflow:
 * at most {@link #MAX_LINES} lines of at most {@link #MAX_QUANTITY} each, and on-hand stock at most
 * {@link #MAX_QUANTITY}, so no reservation total can exceed 10^15.
 */
public final class Limits {

    /** The largest quantity of an order line, a stock level or a stock adjustment. */
    public static final long MAX_QUANTITY = 1_000_000_000_000L;

    /** The largest number of lines in one order. */
    public static final int MAX_LINES = 1_000;

    /** The longest order id, product id, event id or user id, in characters. */
    public static final int MAX_ID_LENGTH = 200;

    /** Event ids remembered per product (commands) and per order (order events) to recognise redeliveries. */
    public static final int REMEMBERED_EVENT_IDS = 64;

    private Limits() {
    }

    public static boolean isValidQuantity(final long quantity) {
        return quantity > 0 && quantity <= MAX_QUANTITY;
    }

    public static boolean isValidStock(final long onHand) {
        return onHand >= 0 && onHand <= MAX_QUANTITY;
    }

    /** A stock adjustment: at most {@link #MAX_QUANTITY} either way. */
    public static boolean isValidDelta(final long delta) {
        return delta >= -MAX_QUANTITY && delta <= MAX_QUANTITY;
    }

    /**
     * 1 to {@link #MAX_ID_LENGTH} characters, not blank, and well-formed UTF-16: an unpaired surrogate (JSON
     * {@code "\ud800"}) has no UTF-8 form, so such an id could not be used as a record key or read back from an
     * internal topic (where product ids are JSON field names).
     */
    public static boolean isValidId(final String id) {
        return id != null && !id.isBlank() && id.length() <= MAX_ID_LENGTH && isWellFormed(id);
    }

    private static boolean isWellFormed(final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
