package io.inventory.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Inbound envelopes with fresh event ids, as the order service and the catalogue would send them. */
final class Fixtures {

    private Fixtures() {
    }

    static byte[] createItem(final String productId, final long quantity) {
        return envelope("CreateInventoryItem", Json.MAPPER.createObjectNode().put("productId", productId)
            .put("title", productId).put("brand", "IT").put("quantity", quantity).put("price", 1.5)
            .put("currency", "EUR"));
    }

    static byte[] adjust(final String productId, final long delta) {
        return envelope("AdjustInventoryStock", Json.MAPPER.createObjectNode().put("productId", productId)
            .put("delta", delta));
    }

    static byte[] delete(final String productId) {
        return envelope("DeleteInventoryItem", Json.MAPPER.createObjectNode().put("productId", productId));
    }

    static byte[] order(final String orderId, final Map<String, Integer> lines) {
        return envelope("OrderCreatedEvent", lines(orderId, lines));
    }

    static byte[] update(final String orderId, final Map<String, Integer> lines) {
        return envelope("OrderUpdatedEvent", lines(orderId, lines));
    }

    static byte[] cancel(final String orderId) {
        return envelope("OrderCancelledEvent", Json.MAPPER.createObjectNode().put("orderId", orderId)
            .put("userId", "it-user"));
    }

    /** A fulfilment of {@code lines}; with none, of everything the order holds. */
    static byte[] fulfil(final String orderId, final Map<String, Integer> lines) {
        return envelope("OrderFulfilledEvent", lines.isEmpty()
            ? Json.MAPPER.createObjectNode().put("orderId", orderId)
            : lines(orderId, lines));
    }

    private static ObjectNode lines(final String orderId, final Map<String, Integer> lines) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", orderId).put("userId", "it-user");
        final ArrayNode items = payload.putArray("items");
        lines.forEach((product, quantity) -> items.addObject().put("productId", product).put("quantity", quantity));
        return payload;
    }

    private static byte[] envelope(final String eventType, final ObjectNode payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventId", UUID.randomUUID().toString())
            .put("eventType", eventType).put("timestamp", System.currentTimeMillis());
        envelope.set("payload", payload);
        return envelope.toString().getBytes(StandardCharsets.UTF_8);
    }
}
