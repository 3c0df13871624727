package io.inventory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.config.ServiceConfig;
import io.inventory.topology.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code cli dlq ...}: lists, shows and replays the records of {@code inventory.dlq}.
 *
 * <p>Exit codes: 0 done, 1 Kafka failed or timed out, 64 bad arguments, 65 refused (a dead letter already
 * replayed without {@code --force}, not replayable, or not found); a refusal writes nothing.
 */
public final class DeadLetterCli {

    public static final String USAGE = String.join("\n",
        "  dlq list [--since D] [--reason R] [--topic T]   one line per dead letter (D: 30s, 15m, 2h, 7d or PT1H)",
        "  dlq show P:O                                    one dead letter whole (P:O in inventory.dlq)",
        "  dlq replay --offset P:O... [--dry-run] [--force]",
        "  dlq replay --reason R --since D [--topic T] [--dry-run] [--force]",
        "                                                  write dead letters back to their source topics");

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_ARGUMENTS = 64;
    static final int REFUSED = 65;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([smhd])");
    private static final Pattern COORDINATES = Pattern.compile("(\\d+):(\\d+)");

    private DeadLetterCli() {
    }

    /** Runs {@code dlq <args>}; returns the exit code. */
    public static int run(final String[] args, final ServiceConfig config, final PrintStream out,
                          final PrintStream err) {
        final Options options;
        try {
            options = Options.parse(args);
        } catch (final IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("usage: cli\n" + USAGE);
            return BAD_ARGUMENTS;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(config)) {
            return switch (options.command()) {
                case "list" -> list(consumer, options, out);
                case "show" -> show(consumer, options.offsets().get(0), out, err);
                case "replay" -> replay(consumer, config, options, out, err);
                default -> throw new IllegalStateException("parsed an unknown command " + options.command());
            };
        } catch (final TimeoutException | ExecutionException | KafkaException e) {
            err.println("dlq " + options.command() + " failed: " + e.getMessage());
            return FAILED;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private static int list(final KafkaConsumer<byte[], byte[]> consumer, final Options options,
                            final PrintStream out) throws TimeoutException {
        final Instant now = Instant.now();
        final List<DeadLetter> letters = select(consumer, options, now);
        final Map<String, JsonNode> replayed = Replays.markers(consumer, TIMEOUT);
        out.println(String.format("%-10s %-20s %-32s %8s  %s", "P:O", "REASON", "SOURCE", "AGE", "VALUE"));
        letters.forEach(letter -> out.println(letter.line(now, replayed.containsKey(letter.id()))));
        out.println(letters.size() + " dead letter(s)");
        return OK;
    }

    private static int show(final KafkaConsumer<byte[], byte[]> consumer, final Coordinates at,
                            final PrintStream out, final PrintStream err) throws TimeoutException {
        final Optional<DeadLetter> letter = read(consumer, at);
        if (letter.isEmpty()) {
            err.println("no dead letter at " + Topics.INVENTORY_DLQ.name() + ":" + at);
            return REFUSED;
        }
        out.println(letter.get().details(Instant.now()));
        return OK;
    }

    private static int replay(final KafkaConsumer<byte[], byte[]> consumer, final ServiceConfig config,
                              final Options options, final PrintStream out, final PrintStream err)
        throws TimeoutException, InterruptedException, ExecutionException {
        final List<DeadLetter> selected = new ArrayList<>();
        if (options.offsets().isEmpty()) {
            selected.addAll(select(consumer, options, Instant.now()));
        } else {
            for (final Coordinates at : options.offsets()) {
                final Optional<DeadLetter> letter = read(consumer, at);
                if (letter.isEmpty()) {
                    err.println("no dead letter at " + Topics.INVENTORY_DLQ.name() + ":" + at + "; nothing replayed");
                    return REFUSED;
                }
                selected.add(letter.get());
            }
        }
        if (selected.isEmpty()) {
            out.println("no dead letter matches; nothing replayed");
            return OK;
        }
        for (final DeadLetter letter : selected) {
            final String because = letter.unreplayableBecause();
            if (because != null) {
                err.println(letter.id() + " cannot be replayed: " + because + "; nothing replayed");
                return REFUSED;
            }
        }
        if (options.dryRun()) {
            final int refused = refuseReplayed(selected, Replays.markers(consumer, TIMEOUT), options, err);
            selected.forEach(letter -> out.println("would replay " + letter.id() + " -> " + letter.sourceTopic()
                + " (" + letter.reason() + ", key " + DeadLetter.preview(letter.key()) + ", "
                + (letter.value() == null ? 0 : letter.value().length) + " bytes)"));
            out.println("dry run: nothing written");
            return refused > 0 ? REFUSED : OK;
        }
        try (Admin admin = Admin.create(config.clientProperties())) {
            Replays.ensureMarkerTopic(admin, config);
        }
        try (Producer<byte[], byte[]> producer = Replays.producer(config)) {
            // Fences any other replay and waits for its transaction to end, so the markers read next are final.
            producer.initTransactions();
            if (refuseReplayed(selected, Replays.markers(consumer, TIMEOUT), options, err) > 0) {
                err.println("nothing replayed");
                return REFUSED;
            }
            for (final Replays.Written written : Replays.replay(producer, selected, System.currentTimeMillis())) {
                out.println("replayed " + written.letter().id() + " -> " + written.topic() + "/"
                    + written.partition() + "@" + written.offset());
            }
        }
        out.println(selected.size() + " dead letter(s) replayed");
        return OK;
    }

    /** Reports each selected letter replayed before; returns how many were refused ({@code --force}: none). */
    private static int refuseReplayed(final List<DeadLetter> selected, final Map<String, JsonNode> markers,
                                      final Options options, final PrintStream err) {
        int refused = 0;
        for (final DeadLetter letter : selected) {
            final JsonNode marker = markers.get(letter.id());
            if (marker == null) {
                continue;
            }
            final String when = marker.path("replayedAt").asText("at an unknown time");
            if (options.force()) {
                err.println(letter.id() + " already replayed (" + when + "); replaying again (--force)");
            } else {
                err.println(letter.id() + " already replayed (" + when + "); use --force to replay it again");
                refused++;
            }
        }
        return refused;
    }

    private static List<DeadLetter> select(final KafkaConsumer<byte[], byte[]> consumer, final Options options,
                                           final Instant now) throws TimeoutException {
        final Instant since = options.since() == null ? null : now.minus(options.since());
        final List<DeadLetter> letters = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> record : TopicScan.since(consumer, Topics.INVENTORY_DLQ.name(), since,
            TIMEOUT)) {
            final DeadLetter letter = DeadLetter.of(record);
            if ((options.reason() == null || options.reason().equals(letter.reason()))
                && (options.topic() == null || options.topic().equals(letter.sourceTopic()))
                && (since == null || !Instant.ofEpochMilli(letter.timestamp()).isBefore(since))) {
                letters.add(letter);
            }
        }
        letters.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
            : Long.compare(a.offset(), b.offset()));
        return letters;
    }

    private static Optional<DeadLetter> read(final KafkaConsumer<byte[], byte[]> consumer, final Coordinates at)
        throws TimeoutException {
        final TopicPartition partition = new TopicPartition(Topics.INVENTORY_DLQ.name(), at.partition());
        if (!TopicScan.partitions(consumer, Topics.INVENTORY_DLQ.name()).contains(partition)) {
            return Optional.empty();
        }
        return TopicScan.at(consumer, partition, at.offset(), TIMEOUT).map(DeadLetter::of);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final ServiceConfig config) {
        final Properties props = config.clientProperties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId() + "-dlq-cli");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // Reading the marker topic before the first replay must not create it with the broker's defaults.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT1H30M}). */
    static Duration parseDuration(final String text) {
        final Matcher shortForm = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            final long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            final Duration duration = Duration.parse(text);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("a negative duration: " + text);
            }
            return duration;
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (30s, 15m, 2h, 7d or PT1H): " + text);
        }
    }

    /** A dead letter's place in {@code inventory.dlq}. */
    record Coordinates(int partition, long offset) {
        static Coordinates parse(final String text) {
            final Matcher matcher = COORDINATES.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("not partition:offset: " + text);
            }
            try {
                return new Coordinates(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("not partition:offset: " + text);
            }
        }

        @Override
        public String toString() {
            return partition + ":" + offset;
        }
    }

    /** A parsed {@code dlq} command line. */
    record Options(String command, Duration since, String reason, String topic, List<Coordinates> offsets,
                   boolean dryRun, boolean force) {

        static Options parse(final String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("dlq needs a command: list, show or replay");
            }
            final String command = args[0];
            if (command.equals("show")) {
                if (args.length != 2) {
                    throw new IllegalArgumentException("dlq show takes one P:O");
                }
                return new Options(command, null, null, null, List.of(Coordinates.parse(args[1])), false, false);
            }
            if (!command.equals("list") && !command.equals("replay")) {
                throw new IllegalArgumentException("unknown dlq command " + command);
            }
            Duration since = null;
            String reason = null;
            String topic = null;
            final List<Coordinates> offsets = new ArrayList<>();
            boolean dryRun = false;
            boolean force = false;
            for (int i = 1; i < args.length; i++) {
                final String flag = args[i];
                final boolean replay = command.equals("replay");
                switch (flag) {
                    case "--since" -> since = parseDuration(value(args, ++i, flag));
                    case "--reason" -> reason = value(args, ++i, flag);
                    case "--topic" -> topic = value(args, ++i, flag);
                    case "--offset" -> {
                        requireReplay(replay, flag);
                        offsets.add(Coordinates.parse(value(args, ++i, flag)));
                        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            offsets.add(Coordinates.parse(args[++i]));
                        }
                    }
                    case "--dry-run" -> {
                        requireReplay(replay, flag);
                        dryRun = true;
                    }
                    case "--force" -> {
                        requireReplay(replay, flag);
                        force = true;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (command.equals("replay")) {
                final boolean byFilter = reason != null || since != null || topic != null;
                if (offsets.isEmpty() != byFilter) {
                    throw new IllegalArgumentException("dlq replay takes either --offset P:O... or --reason R "
                        + "--since D [--topic T]");
                }
                if (byFilter && (reason == null || since == null)) {
                    throw new IllegalArgumentException("dlq replay by filter needs both --reason and --since");
                }
            }
            return new Options(command, since, reason, topic, List.copyOf(offsets), dryRun, force);
        }

        private static String value(final String[] args, final int index, final String flag) {
            if (index >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[index];
        }

        private static void requireReplay(final boolean replay, final String flag) {
            if (!replay) {
                throw new IllegalArgumentException(flag + " is for dlq replay only");
            }
        }
    }
}
