package io.inventory.serde;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.domain.Cause;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.Limits;
import io.inventory.domain.OrderEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and validates the envelopes of the inbound topics (see {@code topology-docs/topics.md}).
 * Never throws: every input becomes a {@link Parsed.Valid} or a {@link Parsed.Invalid} with its reason.
 */
public final class InboundReader {

    /** Stands for a quantity that is not a {@code long} at all; outside every accepted range. */
    static final long UNREADABLE_QUANTITY = Limits.MAX_QUANTITY + 1;

    private InboundReader() {
    }

    /**
     * Reads an order event from {@code order.created}, {@code order.updated}, {@code order.cancelled} or
     * {@code order.fulfilled}.
     */
    public static Parsed<OrderEvent> readOrderEvent(final String expectedEventType, final byte[] bytes) {
        try {
            final Envelope envelope = envelope(bytes);
            if (!envelope.eventType.equals(expectedEventType)) {
                throw new Invalid(InvalidReason.WRONG_EVENT_TYPE,
                    "expected " + expectedEventType + " but got " + envelope.eventType);
            }
            final JsonNode payload = envelope.payload;
            final String orderId = requiredId(payload, "orderId");
            final Cause cause = envelope.cause();
            if ("OrderFulfilledEvent".equals(expectedEventType)) {
                return fulfilment(envelope, orderId);
            }
            final String userId = requiredId(payload, "userId");
            if ("OrderCancelledEvent".equals(expectedEventType)) {
                return new Parsed.Valid<>(new OrderEvent.Cancelled(envelope.eventId, orderId, userId,
                    optionalText(payload, "reason"), cause));
            }
            final Lines lines = lines(payload);
            final OrderEvent event = "OrderCreatedEvent".equals(expectedEventType)
                ? new OrderEvent.Placed(envelope.eventId, orderId, userId, lines.valid, lines.invalid, cause)
                : new OrderEvent.Changed(envelope.eventId, orderId, userId, lines.valid, lines.invalid, cause);
            return lines.invalid.isEmpty()
                ? new Parsed.Valid<>(event)
                : new Parsed.Invalid<>(InvalidReason.INVALID_QUANTITY,
                    "quantity is not a positive integer up to " + Limits.MAX_QUANTITY + " for " + lines.invalid,
                    event);
        } catch (final Invalid e) {
            return new Parsed.Invalid<>(e.reason, e.getMessage(), null);
        }
    }

    /**
     * A fulfilment: {@code userId} optional, {@code items} absent or empty for everything the order holds. A bad
     * quantity makes the whole fulfilment invalid, with no business answer: shipping part of what was asked
     * would not be what the sender meant.
     */
    private static Parsed<OrderEvent> fulfilment(final Envelope envelope, final String orderId) {
        final JsonNode payload = envelope.payload;
        final String userId = optionalId(payload, "userId");
        final JsonNode items = payload.get("items");
        final Map<String, Long> lines;
        if (items == null || items.isNull() || items.isArray() && items.isEmpty()) {
            lines = Map.of();
        } else {
            final Lines read = lines(payload);
            if (!read.invalid.isEmpty()) {
                return new Parsed.Invalid<>(InvalidReason.INVALID_QUANTITY,
                    "quantity is not a positive integer up to " + Limits.MAX_QUANTITY + " for " + read.invalid, null);
            }
            lines = read.valid;
        }
        return new Parsed.Valid<>(new OrderEvent.Fulfilled(envelope.eventId, orderId, userId, lines,
            envelope.cause()));
    }

    /** Reads a command from {@code inventory.commands}. */
    public static Parsed<InventoryCommand> readCommand(final byte[] bytes) {
        try {
            final Envelope envelope = envelope(bytes);
            final JsonNode payload = envelope.payload;
            final String productId = requiredId(payload, "productId");
            final String id = envelope.eventId;
            final Cause cause = envelope.cause();
            final InventoryCommand command = switch (envelope.eventType) {
                case "CreateInventoryItem" -> new InventoryCommand.CreateItem(id, productId,
                    requiredText(payload, "title"), requiredText(payload, "brand"),
                    quantity(payload.get("quantity"), "quantity"), requiredPrice(payload),
                    requiredText(payload, "currency"), cause);
                case "UpdateInventoryItem" -> new InventoryCommand.UpdateItem(id, productId,
                    optionalText(payload, "title"), optionalText(payload, "brand"),
                    payload.hasNonNull("quantity") ? quantity(payload.get("quantity"), "quantity") : null,
                    payload.hasNonNull("price") ? requiredPrice(payload) : null,
                    optionalText(payload, "currency"), cause);
                case "DeleteInventoryItem" -> new InventoryCommand.DeleteItem(id, productId, cause);
                case "AdjustInventoryStock" -> new InventoryCommand.AdjustStock(id, productId,
                    quantity(payload.get("delta"), "delta"), cause);
                default -> throw new Invalid(InvalidReason.WRONG_EVENT_TYPE,
                    "unknown command type " + envelope.eventType);
            };
            final String badQuantity = outOfRange(command);
            return badQuantity == null
                ? new Parsed.Valid<>(command)
                : new Parsed.Invalid<>(InvalidReason.INVALID_QUANTITY, badQuantity, command);
        } catch (final Invalid e) {
            return new Parsed.Invalid<>(e.reason, e.getMessage(), null);
        }
    }

    /** Describes a quantity the stock rules will reject, so that the command also reaches the dead letter topic. */
    private static String outOfRange(final InventoryCommand command) {
        final String quantityRange = "quantity must be an integer from 0 to " + Limits.MAX_QUANTITY;
        return command.match(
            create -> Limits.isValidStock(create.quantity()) ? null : quantityRange,
            update -> update.quantity() == null || Limits.isValidStock(update.quantity()) ? null : quantityRange,
            delete -> null,
            adjust -> Limits.isValidDelta(adjust.delta()) ? null
                : "delta must be an integer from -" + Limits.MAX_QUANTITY + " to " + Limits.MAX_QUANTITY);
    }

    private static Envelope envelope(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new Invalid(InvalidReason.EMPTY, "record has no value");
        }
        final JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (final IOException | RuntimeException e) {
            throw new Invalid(InvalidReason.NOT_JSON, "not JSON: " + InboundEnvelope.firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "not a JSON object");
        }
        final JsonNode eventId = root.get("eventId");
        final JsonNode eventType = root.get("eventType");
        final JsonNode payload = root.get("payload");
        if (eventId == null || !eventId.isTextual() || !Limits.isValidId(eventId.asText())) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "eventId is missing, blank, too long or not a string");
        }
        if (eventType == null || !eventType.isTextual()) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "eventType is missing or not a string");
        }
        if (payload == null || !payload.isObject()) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "payload is missing or not an object");
        }
        checkTimestamp(root.get("timestamp"));
        final JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "metadata is not an object");
        }
        final boolean hasMetadata = metadata != null && metadata.isObject();
        return new Envelope(eventId.asText(), eventType.asText(), payload,
            hasMetadata ? optionalText(metadata, "correlationId") : null,
            hasMetadata ? optionalText(metadata, "userId") : null);
    }

    private static void checkTimestamp(final JsonNode timestamp) {
        if (timestamp == null || timestamp.isNull() || timestamp.isIntegralNumber()) {
            return;
        }
        if (!timestamp.isTextual()) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "timestamp is neither ISO-8601 text nor epoch millis");
        }
        try {
            Instant.parse(timestamp.asText());
        } catch (final DateTimeParseException e) {
            throw new Invalid(InvalidReason.NOT_AN_ENVELOPE, "timestamp is not ISO-8601: " + timestamp.asText());
        }
    }

    private static Lines lines(final JsonNode payload) {
        final JsonNode items = payload.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new Invalid(InvalidReason.INVALID_FIELD, "items must be a non-empty array");
        }
        if (items.size() > Limits.MAX_LINES) {
            throw new Invalid(InvalidReason.INVALID_FIELD, "items has more than " + Limits.MAX_LINES + " lines");
        }
        final Map<String, Long> valid = new TreeMap<>();
        final List<String> invalid = new ArrayList<>();
        for (final JsonNode item : items) {
            if (!item.isObject()) {
                throw new Invalid(InvalidReason.INVALID_FIELD, "items must hold objects");
            }
            final String productId = requiredId(item, "productId");
            final long quantity = quantity(item.get("quantity"), "quantity");
            if (!Limits.isValidQuantity(quantity) || invalid.contains(productId)) {
                invalid.add(productId);
                valid.remove(productId);
                continue;
            }
            final long total = valid.getOrDefault(productId, 0L) + quantity;
            if (total > Limits.MAX_QUANTITY) {
                invalid.add(productId);
                valid.remove(productId);
            } else {
                valid.put(productId, total);
            }
        }
        return new Lines(valid, invalid);
    }

    /** A JSON integer as a {@code long}; anything else (missing, text, fraction, too big) is unreadable. */
    private static long quantity(final JsonNode node, final String field) {
        if (node == null || !node.isIntegralNumber() && !(node.isNumber() && isWhole(node.decimalValue()))) {
            return UNREADABLE_QUANTITY;
        }
        return node.canConvertToLong() ? node.asLong() : UNREADABLE_QUANTITY;
    }

    private static boolean isWhole(final BigDecimal value) {
        return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
    }

    private static BigDecimal requiredPrice(final JsonNode payload) {
        final JsonNode price = payload.get("price");
        if (price == null || !price.isNumber()) {
            throw new Invalid(InvalidReason.INVALID_FIELD, "price is missing or not a number");
        }
        return price.decimalValue();
    }

    private static String requiredId(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !Limits.isValidId(value.asText())) {
            throw new Invalid(InvalidReason.INVALID_FIELD,
                field + " is missing, blank, longer than " + Limits.MAX_ID_LENGTH + " or not a string");
        }
        return value.asText();
    }

    private static String optionalId(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : requiredId(node, field);
    }

    private static String requiredText(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new Invalid(InvalidReason.INVALID_FIELD, field + " is missing or not a string");
        }
        return value.asText();
    }

    private static String optionalText(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Invalid(InvalidReason.INVALID_FIELD, field + " is not a string");
        }
        return value.asText();
    }

    private record Envelope(String eventId, String eventType, JsonNode payload, String correlationId,
                            String userId) {
        Cause cause() {
            return Cause.of(eventId, correlationId, userId);
        }
    }

    private record Lines(Map<String, Long> valid, List<String> invalid) {
    }

    /** Control flow inside this class only; never escapes it. */
    private static final class Invalid extends RuntimeException {
        private final InvalidReason reason;

        Invalid(final InvalidReason reason, final String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
