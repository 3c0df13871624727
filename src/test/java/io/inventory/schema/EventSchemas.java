package io.inventory.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.inventory.domain.Limits;
import io.inventory.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The published JSON Schemas ({@code topology-docs/schemas}), loaded once, and which topic carries which of them
 * (from {@code asyncapi.yaml}). Tests validate what the service publishes and what its clients send with them.
 */
public final class EventSchemas {

    public static final Path DIR = Path.of("topology-docs", "schemas");
    /** The {@code $id} prefix of every schema; resolved from {@link #DIR}, never fetched. */
    public static final String BASE = "https://inventory-service.example/schemas/";

    private static final class Holder {
        private static final EventSchemas INSTANCE = load(DIR, AsyncApi.read());
    }

    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, AsyncApi.Channel> channels = new HashMap<>();

    private EventSchemas(final SchemaRegistry registry, final AsyncApi api) {
        this.registry = registry;
        api.channels().forEach(channel -> channels.put(channel.address(), channel));
    }

    /** The schemas of the repository, shared by every test of the JVM. */
    public static EventSchemas get() {
        return Holder.INSTANCE;
    }

    /** The schema files of a directory (top level only), by file name. */
    public static Map<String, String> files(final Path dir) {
        final Map<String, String> files = new HashMap<>();
        try (Stream<Path> paths = Files.list(dir)) {
            for (final Path path : paths.filter(p -> p.toString().endsWith(".json")).toList()) {
                files.put(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static EventSchemas load(final Path dir, final AsyncApi api) {
        final Map<String, String> byId = new HashMap<>();
        files(dir).forEach((name, text) -> byId.put(BASE + name, text));
        return new EventSchemas(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(byId)), api);
    }

    /** Problems of a JSON document against a schema file ({@code InventoryItemReservedEvent.json}); none if valid. */
    public List<String> errors(final String schemaFile, final String json) {
        final Schema schema = schemas.computeIfAbsent(schemaFile,
            file -> registry.getSchema(SchemaLocation.of(BASE + file)));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /**
     * Problems of a record value on a topic: it must be an envelope whose {@code eventType} is one of the
     * topic's messages, valid against that message's schema.
     */
    public List<String> errorsOnTopic(final String topic, final byte[] value) {
        final AsyncApi.Channel channel = channels.get(topic);
        if (channel == null) {
            return List.of("no channel for topic " + topic + " in asyncapi.yaml");
        }
        final String json = value == null ? "null" : new String(value, StandardCharsets.UTF_8);
        final String eventType;
        try {
            final JsonNode envelope = Json.MAPPER.readTree(json);
            eventType = envelope == null ? null : envelope.path("eventType").asText(null);
        } catch (final IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        for (final AsyncApi.Message message : channel.messages()) {
            if (message.name().equals(eventType) && message.payloadSchema() != null) {
                return errors(message.payloadSchema(), json);
            }
        }
        return List.of("eventType " + eventType + " is not a message of " + topic + " in asyncapi.yaml");
    }

    /** Fails with every problem of a published record's value (or, on {@code inventory.dlq}, its headers). */
    public void assertPublished(final String topic, final byte[] value, final Headers headers) {
        final AsyncApi.Channel channel = channels.get(topic);
        final List<String> errors;
        if (channel != null && channel.messages().size() == 1 && channel.messages().get(0).headersSchema() != null
            && channel.messages().get(0).payloadSchema() == null) {
            errors = errors(channel.messages().get(0).headersSchema(), headersAsJson(headers));
        } else {
            errors = errorsOnTopic(topic, value);
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("published on " + topic + " but not valid against its schema: " + errors
                + "\n" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8)));
        }
    }

    /**
     * Fails unless the published schema and the service agree on an inbound value: what the service accepts is
     * valid against the schema, and what it dead-letters is not, but for the two rules a JSON Schema cannot
     * state ({@link #beyondSchemas}).
     */
    public static void assertAgrees(final boolean accepted, final List<String> schemaErrors, final byte[] value) {
        final String text = value == null ? "null" : new String(value, StandardCharsets.UTF_8);
        if (accepted && !schemaErrors.isEmpty()) {
            throw new AssertionError("the service accepts this record but its schema does not: " + schemaErrors
                + "\n" + text);
        }
        if (!accepted && schemaErrors.isEmpty() && !beyondSchemas(value)) {
            throw new AssertionError("the service dead-letters this record but its schema accepts it:\n" + text);
        }
    }

    /**
     * Lines of one product summing above the limit, and unpaired surrogates in an id: no keyword relates array
     * elements to each other, and a pattern that spots a lone surrogate in Java would reject every character
     * outside the BMP in an ECMA-262 validator.
     */
    static boolean beyondSchemas(final byte[] value) {
        final JsonNode envelope;
        try {
            envelope = Json.MAPPER.readTree(value);
        } catch (final IOException | RuntimeException e) {
            return false;
        }
        if (envelope == null) {
            return false;
        }
        final Map<String, Long> sums = new HashMap<>();
        for (final JsonNode item : envelope.path("payload").path("items")) {
            sums.merge(item.path("productId").asText(), item.path("quantity").asLong(), Long::sum);
        }
        final boolean summedAbove = sums.values().stream().anyMatch(sum -> sum > Limits.MAX_QUANTITY);
        final String text = envelope.toString();
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return summedAbove;
    }

    /** Kafka headers as the JSON object the header schemas describe: one text value per name, the last wins. */
    static String headersAsJson(final Headers headers) {
        final ObjectNode object = Json.MAPPER.createObjectNode();
        for (final Header header : headers) {
            object.put(header.key(), header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8));
        }
        return object.toString();
    }
}
