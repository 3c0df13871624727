package io.inventory.serde;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** A null-safe JSON serde over {@link Json#MAPPER} for internal topics and state stores. */
public final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;
    /** What the error messages call the values: the type's name, or that of the type it is the wire form of. */
    private final String name;

    public JsonSerde(final Class<T> type) {
        this(type, type.getSimpleName());
    }

    private JsonSerde(final Class<T> type, final String name) {
        this.type = type;
        this.name = name;
    }

    /**
     * A serde of {@code T} on the wire as the JSON of {@code W}: for a type whose wire form is not its own shape (a
     * sealed type kept in the format of the record it replaced). {@code read} throws
     * {@link IllegalArgumentException} for a {@code W} that stands for no {@code T}; the serde then throws
     * {@link SerializationException}, as for malformed bytes.
     */
    public static <T, W> Serde<T> via(final Class<T> type, final Class<W> wire, final Function<T, W> write,
                                      final Function<W, T> read) {
        final JsonSerde<W> json = new JsonSerde<>(wire, type.getSimpleName());
        return Serdes.serdeFrom(
            (topic, value) -> json.serializer().serialize(topic, value == null ? null : write.apply(value)),
            (topic, bytes) -> {
                final W value = json.deserializer().deserialize(topic, bytes);
                try {
                    return value == null ? null : read.apply(value);
                } catch (final IllegalArgumentException e) {
                    throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic + ": "
                        + e.getMessage(), e);
                }
            });
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> convert(value, Json.MAPPER::writeValueAsBytes,
            () -> "cannot write " + name + " for " + topic);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> convert(bytes, json -> Json.MAPPER.readValue(json, type),
            () -> "cannot read " + name + " from " + topic);
    }

    /**
     * {@code null} for {@code null} (no value, or a tombstone), else what {@code json} makes of {@code input}; its
     * {@link IOException} becomes a {@link SerializationException} with the message {@code failure} gives.
     */
    private static <A, B> B convert(final A input, final JsonStep<A, B> json, final Supplier<String> failure) {
        if (input == null) {
            return null;
        }
        try {
            return json.apply(input);
        } catch (final IOException e) {
            throw new SerializationException(failure.get(), e);
        }
    }

    /** One direction of the mapping: a value to its JSON, or the JSON to a value. */
    @FunctionalInterface
    private interface JsonStep<A, B> {
        B apply(A input) throws IOException;
    }
}
