package io.inventory.cli;

import io.inventory.serde.Json;
import io.inventory.topology.DeadLetters;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One record of {@code inventory.dlq}, read back for an operator. Two writers put records there: the service's
 * own parsing step ({@code dlq.*} headers, the original inbound bytes) and Kafka Streams' processing exception
 * handler ({@code __streams.errors.*} headers, possibly an internal record); both are read into the same shape.
 *
 * @param partition its partition in {@code inventory.dlq}
 * @param offset its offset there
 * @param kind which writer built it
 * @param reason the {@code dlq.reason} code, or the simple class name of the exception Kafka Streams caught
 * @param detail {@code dlq.detail}, or the exception's message (may be empty)
 * @param sourceTopic the topic the failed record was read from ({@code null} when the headers do not say)
 * @param sourcePartition its partition, -1 when unknown
 * @param sourceOffset its offset, -1 when unknown
 * @param replayOf the dead letter this record was a replay of ({@code replayed.from}), or {@code null}
 */
public record DeadLetter(int partition, long offset, long timestamp, Kind kind, String reason, String detail,
                         String sourceTopic, int sourcePartition, long sourceOffset, String replayOf,
                         byte[] key, byte[] value, Headers headers) {

    /** Who wrote a dead letter, told apart by its headers. */
    public enum Kind {
        /** The service's parser: {@code dlq.*} headers. */
        SERVICE,
        /** Kafka Streams' processing exception handler (KIP-1034): {@code __streams.errors.*} headers. */
        STREAMS,
        /** Neither set of headers: written by something else. */
        UNKNOWN
    }

    public static final String STREAMS_HEADER_PREFIX = "__streams.errors.";
    static final String STREAMS_EXCEPTION = STREAMS_HEADER_PREFIX + "exception";
    static final String STREAMS_MESSAGE = STREAMS_HEADER_PREFIX + "message";
    static final String STREAMS_TOPIC = STREAMS_HEADER_PREFIX + "topic";
    static final String STREAMS_PARTITION = STREAMS_HEADER_PREFIX + "partition";
    static final String STREAMS_OFFSET = STREAMS_HEADER_PREFIX + "offset";

    private static final int PREVIEW_BYTES = 60;

    public static DeadLetter of(final ConsumerRecord<byte[], byte[]> record) {
        final Headers headers = record.headers();
        final Kind kind;
        final String reason;
        final String detail;
        final String topic;
        final String partition;
        final String offset;
        if (headers.lastHeader(DeadLetters.REASON) != null) {
            kind = Kind.SERVICE;
            reason = text(headers, DeadLetters.REASON);
            detail = text(headers, DeadLetters.DETAIL);
            topic = text(headers, DeadLetters.SOURCE_TOPIC);
            partition = text(headers, DeadLetters.SOURCE_PARTITION);
            offset = text(headers, DeadLetters.SOURCE_OFFSET);
        } else if (headers.lastHeader(STREAMS_EXCEPTION) != null) {
            kind = Kind.STREAMS;
            final String exception = text(headers, STREAMS_EXCEPTION);
            reason = exception.substring(exception.lastIndexOf('.') + 1);
            detail = text(headers, STREAMS_MESSAGE);
            topic = text(headers, STREAMS_TOPIC);
            partition = text(headers, STREAMS_PARTITION);
            offset = text(headers, STREAMS_OFFSET);
        } else {
            kind = Kind.UNKNOWN;
            reason = "UNKNOWN";
            detail = "";
            topic = "";
            partition = "";
            offset = "";
        }
        final String replayOf = headers.lastHeader(Replays.REPLAYED_FROM) == null ? null
            : text(headers, Replays.REPLAYED_FROM);
        return new DeadLetter(record.partition(), record.offset(), record.timestamp(), kind, reason, detail,
            topic.isEmpty() ? null : topic, (int) parse(partition), parse(offset), replayOf, record.key(),
            record.value(), headers);
    }

    /** {@code partition:offset} in {@code inventory.dlq}. */
    public String coordinates() {
        return partition + ":" + offset;
    }

    /** How the replay header and the replay markers name this dead letter: {@code inventory.dlq:P:O}. */
    public String id() {
        return Topics.INVENTORY_DLQ.name() + ":" + coordinates();
    }

    /** {@code topic/partition@offset} of the record that failed, or {@code ?} when the headers do not say. */
    public String source() {
        return sourceTopic == null ? "?" : sourceTopic + "/" + sourcePartition + "@" + sourceOffset;
    }

    /**
     * Why this dead letter cannot be written back, or {@code null} if it can: only records read from an inbound
     * topic go back. A Kafka Streams dead letter from an internal topic holds an internal record (a hold, a
     * reply), whose order task may have moved on long since; writing it again would act on stale state.
     */
    public String unreplayableBecause() {
        if (sourceTopic == null) {
            return "its headers name no source topic";
        }
        if (!Topic.names(Topics.INBOUND).contains(sourceTopic)) {
            return "its source " + sourceTopic + " is not an inbound topic ("
                + String.join(", ", Topic.names(Topics.INBOUND))
                + ")";
        }
        return null;
    }

    /** The headers to write back: the original record's own, without those the dead-lettering added. */
    public List<Header> originalHeaders() {
        final List<Header> kept = new ArrayList<>();
        for (final Header header : headers) {
            if (!header.key().startsWith(DeadLetters.PREFIX) && !header.key().startsWith(STREAMS_HEADER_PREFIX)
                && !header.key().equals(Replays.REPLAYED_FROM)) {
                kept.add(header);
            }
        }
        return kept;
    }

    /** One line for {@code dlq list}. */
    public String line(final Instant now, final boolean replayed) {
        return String.format("%-10s %-20s %-32s %8s  %s%s%s", coordinates(), reason, source(),
            age(Duration.between(Instant.ofEpochMilli(timestamp), now)), preview(value),
            replayOf == null ? "" : "  [replay of " + replayOf + "]", replayed ? "  [replayed]" : "");
    }

    /** Everything for {@code dlq show}: where it is, why, every header, the key and the value. */
    public String details(final Instant now) {
        final StringBuilder out = new StringBuilder();
        out.append(id()).append("  ").append(Instant.ofEpochMilli(timestamp)).append(" (")
            .append(age(Duration.between(Instant.ofEpochMilli(timestamp), now))).append(" ago)\n");
        out.append("written by: ").append(kind == Kind.SERVICE ? "the service (dlq.* headers)"
            : kind == Kind.STREAMS ? "Kafka Streams' exception handler (__streams.errors.* headers)" : "unknown")
            .append('\n');
        out.append("reason:     ").append(reason).append('\n');
        out.append("detail:     ").append(detail).append('\n');
        out.append("source:     ").append(source()).append('\n');
        if (replayOf != null) {
            out.append("replay of:  ").append(replayOf).append('\n');
        }
        out.append("headers:\n");
        for (final Header header : headers) {
            out.append("  ").append(header.key()).append(": ").append(printable(header.value()).replace("\n",
                "\n    ")).append('\n');
        }
        out.append("key: ").append(printable(key)).append('\n');
        out.append("value (").append(value == null ? 0 : value.length).append(" bytes):\n").append(pretty(value));
        return out.toString();
    }

    /** Pretty JSON when the value parses, else the text (or hex when it is not text). */
    static String pretty(final byte[] value) {
        if (value == null || value.length == 0) {
            return value == null ? "(null)" : "(empty)";
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.MAPPER.readTree(value));
        } catch (final IOException | RuntimeException e) {
            return printable(value);
        }
    }

    /** A short age: {@code 42s}, {@code 5m12s}, {@code 3h04m}, {@code 2d03h}. */
    static String age(final Duration age) {
        final long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    /** The first bytes of a value as printable text: control characters and undecodable bytes become dots. */
    static String preview(final byte[] value) {
        if (value == null) {
            return "(null)";
        }
        if (value.length == 0) {
            return "(empty)";
        }
        final int length = Math.min(value.length, PREVIEW_BYTES);
        final String text = new String(value, 0, length, StandardCharsets.UTF_8);
        final StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c == 0xFFFD
            || Character.getType(c) == Character.FORMAT ? '.' : c));
        return length < value.length ? out + "..." : out.toString();
    }

    /** Bytes as text when they are well-formed UTF-8 without control characters (newlines and tabs aside). */
    static String printable(final byte[] bytes) {
        if (bytes == null) {
            return "(null)";
        }
        try {
            final String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            final boolean clean = text.codePoints()
                .noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r');
            if (clean) {
                return text;
            }
        } catch (final CharacterCodingException e) {
            // Not UTF-8: shown in hex below.
        }
        final StringBuilder hex = new StringBuilder("0x");
        for (final byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private static String text(final Headers headers, final String key) {
        final Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long parse(final String number) {
        try {
            return Long.parseLong(number.trim());
        } catch (final NumberFormatException e) {
            return -1;
        }
    }
}
