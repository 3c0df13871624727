package io.inventory.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code topology-docs/asyncapi.yaml}, read into what the tests check: each channel's topic, the operation on it,
 * and its messages with their key and schema files.
 */
public record AsyncApi(String version, List<Channel> channels) {

    public static final Path FILE = Path.of("topology-docs", "asyncapi.yaml");
    private static final String MESSAGE_REF = "#/components/messages/";
    private static final String CHANNEL_REF = "#/channels/";
    private static final String SCHEMA_REF = "./schemas/";

    /** A topic: its address, {@code send} or {@code receive} (from the service's side), and its messages. */
    public record Channel(String id, String address, List<String> actions, List<Message> messages) {
    }

    /**
     * A message: its name, the key's description, and the schema files (under {@code schemas/}) of its payload
     * and headers, {@code null} where there is none.
     */
    public record Message(String name, String keyType, String keyDescription, String payloadSchema,
                          String headersSchema) {
    }

    public static AsyncApi read() {
        return read(FILE);
    }

    public static AsyncApi read(final Path file) {
        final JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final JsonNode components = root.path("components").path("messages");
        final List<Channel> channels = new ArrayList<>();
        for (final Map.Entry<String, JsonNode> channel : root.path("channels").properties()) {
            final List<Message> messages = new ArrayList<>();
            for (final Map.Entry<String, JsonNode> ref : channel.getValue().path("messages").properties()) {
                final String target = ref.getValue().path("$ref").asText();
                if (!target.startsWith(MESSAGE_REF)) {
                    throw new IllegalStateException("channel " + channel.getKey() + ": message " + ref.getKey()
                        + " is not a $ref to " + MESSAGE_REF);
                }
                final String name = target.substring(MESSAGE_REF.length());
                final JsonNode message = components.path(name);
                if (message.isMissingNode()) {
                    throw new IllegalStateException("channel " + channel.getKey() + " names a missing message " + name);
                }
                final JsonNode key = message.path("bindings").path("kafka").path("key");
                messages.add(new Message(message.path("name").asText(null), key.path("type").asText(null),
                    key.path("description").asText(null), schemaFile(message.path("payload")),
                    schemaFile(message.path("headers"))));
            }
            final List<String> actions = new ArrayList<>();
            for (final JsonNode operation : root.path("operations")) {
                if (operation.path("channel").path("$ref").asText().equals(CHANNEL_REF + channel.getKey())) {
                    actions.add(operation.path("action").asText());
                }
            }
            channels.add(new Channel(channel.getKey(), channel.getValue().path("address").asText(null), actions,
                messages));
        }
        return new AsyncApi(root.path("asyncapi").asText(), channels);
    }

    /** Every operation's channel reference, to check that none points nowhere. */
    public static List<String> operationChannelRefs(final Path file) {
        try {
            final List<String> refs = new ArrayList<>();
            new YAMLMapper().readTree(file.toFile()).path("operations")
                .forEach(operation -> refs.add(operation.path("channel").path("$ref").asText()));
            return refs;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The channel of a topic, or {@code null}. */
    public Channel channel(final String address) {
        return channels.stream().filter(channel -> address.equals(channel.address())).findFirst().orElse(null);
    }

    private static String schemaFile(final JsonNode part) {
        final String ref = part.path("schema").path("$ref").asText(null);
        if (ref == null) {
            return null;
        }
        if (!ref.startsWith(SCHEMA_REF)) {
            throw new IllegalStateException("a schema $ref outside " + SCHEMA_REF + ": " + ref);
        }
        return ref.substring(SCHEMA_REF.length());
    }
}
