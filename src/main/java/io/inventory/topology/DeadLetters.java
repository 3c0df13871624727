package io.inventory.topology;

import io.inventory.serde.InvalidReason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers a dead letter carries besides the original record's own: why it is there and where it came from,
 * so an operator can inspect it and replay it once the cause is fixed.
 */
public final class DeadLetters {

    /** Every header the dead-lettering adds starts with this; a replay leaves them out. */
    public static final String PREFIX = "dlq.";
    public static final String REASON = PREFIX + "reason";
    public static final String DETAIL = PREFIX + "detail";
    public static final String SOURCE_TOPIC = PREFIX + "source.topic";
    public static final String SOURCE_PARTITION = PREFIX + "source.partition";
    public static final String SOURCE_OFFSET = PREFIX + "source.offset";

    private static final int MAX_DETAIL_LENGTH = 1_000;

    private DeadLetters() {
    }

    public static Headers headers(final Headers original, final InvalidReason reason, final String detail,
                                  final String topic, final int partition, final long offset) {
        final Headers headers = new RecordHeaders(original.toArray());
        put(headers, REASON, reason.name());
        put(headers, DETAIL, detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail);
        put(headers, SOURCE_TOPIC, topic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    private static void put(final Headers headers, final String key, final String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
