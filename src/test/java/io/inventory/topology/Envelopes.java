package io.inventory.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds inbound envelopes as the contract's clients write them. */
final class Envelopes {

    static final String TIMESTAMP = "2025-10-30T10:15:30.000Z";

    private Envelopes() {
    }

    /** Order lines in the order given: {@code lines("p1", 2, "p2", 1)}; a quantity may be any JSON value. */
    static Map<String, Object> lines(final Object... productAndQuantity) {
        final Map<String, Object> lines = new java.util.LinkedHashMap<>();
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            lines.put((String) productAndQuantity[i], productAndQuantity[i + 1]);
        }
        return lines;
    }

    static byte[] orderCreated(final String eventId, final String orderId, final Map<String, ?> lines) {
        return envelope(eventId, "OrderCreatedEvent", orderPayload(orderId, lines));
    }

    static byte[] orderUpdated(final String eventId, final String orderId, final Map<String, ?> lines) {
        return envelope(eventId, "OrderUpdatedEvent", orderPayload(orderId, lines));
    }

    static byte[] orderCancelled(final String eventId, final String orderId) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", orderId).put("userId", "user-1")
            .put("reason", "customer asked");
        return envelope(eventId, "OrderCancelledEvent", payload);
    }

    /** A fulfilment of {@code lines}, or, when they are empty, of everything the order holds (no {@code items}). */
    static byte[] orderFulfilled(final String eventId, final String orderId, final Map<String, ?> lines) {
        final ObjectNode payload = lines.isEmpty()
            ? Json.MAPPER.createObjectNode().put("orderId", orderId).put("userId", "user-1")
            : orderPayload(orderId, lines);
        return envelope(eventId, "OrderFulfilledEvent", payload);
    }

    static byte[] createItem(final String eventId, final String productId, final long quantity) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", productId).put("title", "Widget")
            .put("brand", "Acme").put("quantity", quantity).put("price", 9.99).put("currency", "EUR");
        return envelope(eventId, "CreateInventoryItem", payload);
    }

    static byte[] updateItem(final String eventId, final String productId, final Long quantity, final String title) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("productId", productId);
        if (quantity != null) {
            payload.put("quantity", quantity);
        }
        if (title != null) {
            payload.put("title", title);
        }
        return envelope(eventId, "UpdateInventoryItem", payload);
    }

    static byte[] deleteItem(final String eventId, final String productId) {
        return envelope(eventId, "DeleteInventoryItem", Json.MAPPER.createObjectNode().put("productId", productId));
    }

    static byte[] adjustStock(final String eventId, final String productId, final long delta) {
        return envelope(eventId, "AdjustInventoryStock",
            Json.MAPPER.createObjectNode().put("productId", productId).put("delta", delta));
    }

    static ObjectNode orderPayload(final String orderId, final Map<String, ?> lines) {
        final ObjectNode payload = Json.MAPPER.createObjectNode().put("orderId", orderId).put("userId", "user-1");
        final ArrayNode items = payload.putArray("items");
        lines.forEach((product, quantity) -> {
            final ObjectNode item = items.addObject().put("productId", product);
            item.set("quantity", Json.MAPPER.valueToTree(quantity));
        });
        return payload;
    }

    static byte[] envelope(final String eventId, final String eventType, final ObjectNode payload) {
        final ObjectNode envelope = Json.MAPPER.createObjectNode().put("eventId", eventId).put("eventType", eventType)
            .put("timestamp", TIMESTAMP);
        envelope.set("payload", payload);
        envelope.putObject("metadata").put("userId", "user-1").put("correlationId", "corr-" + eventId);
        return bytes(envelope.toString());
    }

    static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
