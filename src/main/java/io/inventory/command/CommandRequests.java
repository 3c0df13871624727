package io.inventory.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inventory.domain.InventoryCommand;
import io.inventory.serde.InboundEnvelope;
import io.inventory.serde.InboundReader;
import io.inventory.serde.Json;
import io.inventory.serde.Parsed;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the write API's request bodies into command envelopes of the contract. Every envelope is read back by
 * {@link InboundReader}, the same reader the topology uses, so the API accepts exactly what the topology accepts;
 * on top of that it refuses what the topology would only reject later (a negative price) and fields it does not
 * know, since a misspelt field would otherwise be ignored and the update silently do less than asked.
 */
public final class CommandRequests {

    /** Who asks, for the envelope's {@code eventId} and {@code metadata}; {@code userId} may be {@code null}. */
    public record Origin(String commandId, String correlationId, String userId) {

        public Origin {
            Objects.requireNonNull(commandId, "commandId");
        }
    }

    private static final Set<String> CREATE_FIELDS = Set.of("productId", "title", "brand", "quantity", "price",
        "currency");
    private static final Set<String> ADJUST_FIELDS = Set.of("productId", "delta");

    private CommandRequests() {
    }

    /** {@code POST /inventory}: every field of the item, the product id included. */
    public static PreparedCommand create(final byte[] body, final Origin origin) {
        final ObjectNode payload = object(body, CREATE_FIELDS);
        return prepare("CreateInventoryItem", payload, origin);
    }

    /** {@code PUT /inventory/{productId}}: any of title, brand, quantity, price, currency. */
    public static PreparedCommand update(final String productId, final byte[] body, final Origin origin) {
        final ObjectNode payload = withProductId(object(body, CREATE_FIELDS), productId);
        if (payload.size() == 1) {
            throw new InvalidCommandException("the body changes nothing: give any of title, brand, quantity, price, "
                + "currency");
        }
        return prepare("UpdateInventoryItem", payload, origin);
    }

    /** {@code DELETE /inventory/{productId}}. */
    public static PreparedCommand delete(final String productId, final Origin origin) {
        return prepare("DeleteInventoryItem", Json.MAPPER.createObjectNode().put("productId", productId), origin);
    }

    /** {@code POST /inventory/{productId}/adjustments}: {@code {"delta": N}}, negative to take stock out. */
    public static PreparedCommand adjust(final String productId, final byte[] body, final Origin origin) {
        return prepare("AdjustInventoryStock", withProductId(object(body, ADJUST_FIELDS), productId), origin);
    }

    private static PreparedCommand prepare(final String commandType, final ObjectNode payload, final Origin origin) {
        final ObjectNode envelope = InboundEnvelope.of(origin.commandId(), commandType, System.currentTimeMillis(),
            payload, origin.correlationId(), origin.userId());
        final byte[] bytes = envelope.toString().getBytes(StandardCharsets.UTF_8);
        final Parsed<InventoryCommand> parsed = InboundReader.readCommand(bytes);
        if (parsed instanceof Parsed.Invalid<InventoryCommand> invalid) {
            throw new InvalidCommandException(invalid.detail());
        }
        final InventoryCommand command = ((Parsed.Valid<InventoryCommand>) parsed).value();
        final BigDecimal price = price(command);
        if (price != null && price.signum() < 0) {
            throw new InvalidCommandException("price must not be negative");
        }
        return new PreparedCommand(command, bytes);
    }

    private static BigDecimal price(final InventoryCommand command) {
        return command.match(InventoryCommand.CreateItem::price, InventoryCommand.UpdateItem::price,
            delete -> null, adjust -> null);
    }

    private static ObjectNode object(final byte[] body, final Set<String> allowed) {
        final JsonNode node;
        try {
            node = body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new InvalidCommandException("the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (final IOException e) {
            throw new InvalidCommandException("the body cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidCommandException("the body must be a JSON object");
        }
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidCommandException("unknown field '" + truncate(name) + "'; expected any of "
                    + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return (ObjectNode) node;
    }

    /** The path names the product; a body that names another one is a mistake worth reporting. */
    private static ObjectNode withProductId(final ObjectNode payload, final String productId) {
        final JsonNode named = payload.get("productId");
        if (named != null && !(named.isTextual() && named.asText().equals(productId))) {
            throw new InvalidCommandException("productId in the body differs from the path");
        }
        final ObjectNode copy = Json.MAPPER.createObjectNode().put("productId", productId);
        payload.fields().forEachRemaining(field -> {
            if (!"productId".equals(field.getKey())) {
                copy.set(field.getKey(), field.getValue());
            }
        });
        return copy;
    }

    private static String firstLine(final String message) {
        return truncate(InboundEnvelope.firstLine(message));
    }

    private static String truncate(final String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
