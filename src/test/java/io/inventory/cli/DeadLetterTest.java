package io.inventory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.serde.InvalidReason;
import io.inventory.topology.DeadLetters;
import io.inventory.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Dead letters of both writers read back, printed and turned into replay records; the command line parsed. */
class DeadLetterTest {

    private static final Instant WRITTEN = Instant.parse("2026-01-01T10:00:00Z");

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(final int partition, final long offset, final byte[] key,
                                                         final byte[] value, final Headers headers) {
        return new ConsumerRecord<>(Topics.INVENTORY_DLQ.name(), partition, offset, WRITTEN.toEpochMilli(),
            TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
    }

    private static Headers serviceHeaders() {
        final Headers original = new RecordHeaders().add("trace", bytes("t-1"));
        return DeadLetters.headers(original, InvalidReason.NOT_JSON, "not JSON: Unexpected character",
            Topics.ORDER_CREATED.name(), 2, 57);
    }

    private static Headers streamsHeaders() {
        return new RecordHeaders().add("trace", bytes("t-2"))
            .add("__streams.errors.exception", bytes("java.lang.IllegalStateException"))
            .add("__streams.errors.message", bytes("stock invariant broken"))
            .add("__streams.errors.stacktrace", bytes("java.lang.IllegalStateException: ...\n\tat x.y(Z.java:1)"))
            .add("__streams.errors.topic", bytes(Topics.INVENTORY_COMMANDS.name()))
            .add("__streams.errors.partition", bytes("1"))
            .add("__streams.errors.offset", bytes("9"));
    }

    @Test
    void shouldReadTheServicesOwnDeadLetter() {
        final DeadLetter letter = DeadLetter.of(record(0, 12, bytes("k"), bytes("{oops"), serviceHeaders()));

        assertThat(letter.kind()).isEqualTo(DeadLetter.Kind.SERVICE);
        assertThat(letter.reason()).isEqualTo("NOT_JSON");
        assertThat(letter.source()).isEqualTo("order.created/2@57");
        assertThat(letter.id()).isEqualTo("inventory.dlq:0:12");
        assertThat(letter.unreplayableBecause()).isNull();
        assertThat(letter.line(WRITTEN.plusSeconds(312), false))
            .startsWith("0:12").contains("NOT_JSON", "order.created/2@57", "5m12s", "{oops")
            .doesNotContain("[replayed]");
    }

    @Test
    void shouldReadKafkaStreamsDeadLetterByItsErrorHeaders() {
        final DeadLetter letter = DeadLetter.of(record(1, 3, null, bytes("{\"a\":1}"), streamsHeaders()));

        assertThat(letter.kind()).isEqualTo(DeadLetter.Kind.STREAMS);
        assertThat(letter.reason()).isEqualTo("IllegalStateException");
        assertThat(letter.detail()).isEqualTo("stock invariant broken");
        assertThat(letter.source()).isEqualTo("inventory.commands/1@9");
        assertThat(letter.details(WRITTEN)).contains("__streams.errors.stacktrace", "key: (null)",
            "\"a\" : 1", "Kafka Streams");
    }

    @Test
    void shouldRefuseToReplayARecordFromAnInternalTopic() {
        final Headers headers = streamsHeaders();
        headers.remove("__streams.errors.topic");
        headers.add("__streams.errors.topic", bytes("inventory-service-group-holds-by-product-repartition"));

        assertThat(DeadLetter.of(record(0, 1, null, bytes("{}"), headers)).unreplayableBecause())
            .contains("not an inbound topic");
        assertThat(DeadLetter.of(record(0, 2, null, bytes("{}"), new RecordHeaders())).unreplayableBecause())
            .contains("no source topic");
    }

    @Test
    void shouldReplayTheOriginalKeyValueAndHeadersNamingTheDeadLetter() {
        final Headers headers = serviceHeaders();
        headers.add(Replays.REPLAYED_FROM, bytes("inventory.dlq:0:3"));
        final DeadLetter letter = DeadLetter.of(record(0, 12, bytes("k"), bytes("{oops"), headers));

        final ProducerRecord<byte[], byte[]> replay = Replays.replayRecord(letter);

        assertThat(replay.topic()).isEqualTo(Topics.ORDER_CREATED.name());
        assertThat(replay.key()).isEqualTo(bytes("k"));
        assertThat(replay.value()).isEqualTo(bytes("{oops"));
        assertThat(replay.timestamp()).isNull();
        assertThat(replay.headers().toArray()).extracting(Header::key)
            .containsExactly("trace", Replays.REPLAYED_FROM);
        assertThat(new String(replay.headers().lastHeader(Replays.REPLAYED_FROM).value(), StandardCharsets.UTF_8))
            .isEqualTo("inventory.dlq:0:12");
        assertThat(Replays.replayRecord(DeadLetter.of(record(1, 3, null, bytes("{}"), streamsHeaders())))
            .headers().toArray()).extracting(Header::key).containsExactly("trace", Replays.REPLAYED_FROM);
    }

    @Test
    void shouldKeepTheReplayHeaderWhenTheServiceDeadLettersAReplayAgain() {
        final Headers replayed = new RecordHeaders(Replays.replayRecord(
            DeadLetter.of(record(0, 12, bytes("k"), bytes("{oops"), serviceHeaders()))).headers().toArray());

        final Headers again = DeadLetters.headers(replayed, InvalidReason.NOT_JSON, "not JSON",
            Topics.ORDER_CREATED.name(), 1, 80);

        assertThat(again.headers(Replays.REPLAYED_FROM)).singleElement()
            .satisfies(header -> assertThat(header.value()).isEqualTo(bytes("inventory.dlq:0:12")));
        assertThat(again.headers(DeadLetters.SOURCE_OFFSET)).singleElement()
            .satisfies(header -> assertThat(header.value()).isEqualTo(bytes("80")));
        assertThat(again.lastHeader("trace").value()).isEqualTo(bytes("t-1"));
    }

    @Test
    void shouldShowWhatADeadLetterWasAReplayOf() {
        final Headers headers = serviceHeaders();
        headers.add(Replays.REPLAYED_FROM, bytes("inventory.dlq:0:3"));

        final DeadLetter letter = DeadLetter.of(record(0, 12, bytes("k"), bytes("{oops"), headers));

        assertThat(letter.replayOf()).isEqualTo("inventory.dlq:0:3");
        assertThat(letter.line(WRITTEN, true)).contains("[replay of inventory.dlq:0:3]", "[replayed]");
    }

    @Test
    void shouldPreviewValuesAsPrintableText() {
        assertThat(DeadLetter.preview(null)).isEqualTo("(null)");
        assertThat(DeadLetter.preview(new byte[0])).isEqualTo("(empty)");
        assertThat(DeadLetter.preview(new byte[] {'a', 0, '\n', (byte) 0xff, 'b'})).isEqualTo("a...b");
        assertThat(DeadLetter.preview(bytes("x".repeat(100)))).isEqualTo("x".repeat(60) + "...");
        assertThat(DeadLetter.printable(new byte[] {(byte) 0xff, 1})).isEqualTo("0xff01");
        assertThat(DeadLetter.pretty(bytes("{\"a\":[1]}"))).contains("\"a\" : [ 1 ]");
        assertThat(DeadLetter.pretty(bytes("{oops"))).isEqualTo("{oops");
    }

    @Test
    void shouldPrintShortAges() {
        assertThat(DeadLetter.age(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(DeadLetter.age(Duration.ofMinutes(183))).isEqualTo("3h03m");
        assertThat(DeadLetter.age(Duration.ofHours(51))).isEqualTo("2d03h");
        assertThat(DeadLetter.age(Duration.ofSeconds(-5))).isEqualTo("0s");
    }

    @Test
    void shouldParseDurations() {
        assertThat(DeadLetterCli.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DeadLetterCli.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(DeadLetterCli.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DeadLetterCli.parseDuration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> DeadLetterCli.parseDuration("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldParseReplaySelections() {
        final DeadLetterCli.Options byOffsets = DeadLetterCli.Options.parse(
            new String[] {"replay", "--offset", "0:1", "2:7", "--offset", "1:3", "--dry-run"});
        assertThat(byOffsets.offsets()).extracting(DeadLetterCli.Coordinates::toString)
            .containsExactly("0:1", "2:7", "1:3");
        assertThat(byOffsets.dryRun()).isTrue();
        assertThat(byOffsets.force()).isFalse();

        final DeadLetterCli.Options byFilter = DeadLetterCli.Options.parse(
            new String[] {"replay", "--reason", "NOT_JSON", "--since", "1h", "--force"});
        assertThat(byFilter.reason()).isEqualTo("NOT_JSON");
        assertThat(byFilter.since()).isEqualTo(Duration.ofHours(1));
        assertThat(byFilter.force()).isTrue();
    }

    @Test
    void shouldRejectAmbiguousOrIncompleteCommandLines() {
        assertThatThrownBy(() -> DeadLetterCli.Options.parse(new String[] {"replay"}))
            .hasMessageContaining("either --offset");
        assertThatThrownBy(() -> DeadLetterCli.Options.parse(
            new String[] {"replay", "--offset", "0:1", "--reason", "NOT_JSON"})).hasMessageContaining("either");
        assertThatThrownBy(() -> DeadLetterCli.Options.parse(new String[] {"replay", "--reason", "NOT_JSON"}))
            .hasMessageContaining("both --reason and --since");
        assertThatThrownBy(() -> DeadLetterCli.Options.parse(new String[] {"list", "--force"}))
            .hasMessageContaining("replay only");
        assertThatThrownBy(() -> DeadLetterCli.Options.parse(new String[] {"show", "12"}))
            .hasMessageContaining("partition:offset");
        assertThatThrownBy(() -> DeadLetterCli.Options.parse(new String[] {"purge"}))
            .hasMessageContaining("unknown dlq command");
    }
}
