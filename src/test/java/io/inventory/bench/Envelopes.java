package io.inventory.bench;

import io.inventory.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Inbound envelopes as the order service and the catalogue send them, built as text: the harness must stay cheap. */
final class Envelopes {

    /** Stock given to every benchmark product: no order of a run can run out. */
    static final long STOCK = 1_000_000_000L;

    private Envelopes() {
    }

    static String productId(final int index) {
        return "p-" + index;
    }

    /** {@code inventory.commands}, key productId. */
    static byte[] createItem(final String productId) {
        return envelope("CreateInventoryItem", "{\"productId\":\"" + productId + "\",\"title\":\"" + productId
            + "\",\"brand\":\"bench\",\"quantity\":" + STOCK + ",\"price\":1.5,\"currency\":\"EUR\"}");
    }

    /** {@code order.created}: one unit of each product. */
    static byte[] orderCreated(final String orderId, final String... productIds) {
        final StringBuilder items = new StringBuilder();
        for (final String productId : productIds) {
            if (!items.isEmpty()) {
                items.append(',');
            }
            items.append("{\"productId\":\"").append(productId).append("\",\"quantity\":1}");
        }
        return envelope("OrderCreatedEvent", "{\"orderId\":\"" + orderId + "\",\"userId\":\"bench\",\"items\":["
            + items + "]}");
    }

    private static byte[] envelope(final String type, final String payload) {
        return ("{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"" + type + "\",\"timestamp\":"
            + System.currentTimeMillis() + ",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] ORDER_ID_FIELD = "\"orderId\":\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * The sequence number of a benchmark order id {@code <prefix><seq>} in an outbound envelope's bytes, or -1 when
     * the order is not one of {@code prefix}'s. Scans bytes instead of parsing JSON so the consumer that times the
     * service does not compete with it for the two cores.
     */
    static long orderSequence(final byte[] value, final char prefix) {
        final int at = indexOf(value, ORDER_ID_FIELD);
        if (at < 0) {
            return -1;
        }
        int i = at + ORDER_ID_FIELD.length;
        if (i >= value.length || value[i] != prefix) {
            return -1;
        }
        long seq = 0;
        for (i++; i < value.length && value[i] >= '0' && value[i] <= '9'; i++) {
            seq = seq * 10 + (value[i] - '0');
        }
        return seq;
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code order.fulfilled} of everything the order holds. */
    static byte[] orderFulfilled(final String orderId) {
        return envelope("OrderFulfilledEvent", "{\"orderId\":\"" + orderId + "\"}");
    }

    /** {@code order.cancelled}. */
    static byte[] orderCancelled(final String orderId) {
        return envelope("OrderCancelledEvent", "{\"orderId\":\"" + orderId + "\",\"userId\":\"bench\"}");
    }

    /** The outbound topics whose counts a run watches. */
    static final String[] WATCHED = {Topics.INVENTORY_CREATED.name(), Topics.INVENTORY_RESERVED.name(),
        Topics.INVENTORY_INSUFFICIENT.name(), Topics.INVENTORY_RESERVATION_FAILED.name(), Topics.INVENTORY_DLQ.name(),
        Topics.INVENTORY_COMMANDS_REJECTED.name(), Topics.INVENTORY_FULFILLED.name(), Topics.INVENTORY_RELEASED.name(),
        Topics.INVENTORY_FULFILMENT_FAILED.name()};
}
