package io.inventory.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares a set of JSON Schemas with the last released set and reports each backward-incompatible change: what
 * a client written against the released schemas could trip over. The two trees are walked side by side, through
 * {@code properties}, {@code items}, {@code $defs} and the {@code allOf}/{@code anyOf}/{@code oneOf} branches
 * (by position); {@code $ref}s are compared as text, and each file's {@code $defs} are checked where they are
 * defined, so a change behind a reference is caught once, in its own file.
 *
 * <p>Widening is allowed both ways (a new optional field, a new enum value, a wider type, a new schema file):
 * consumers must ignore unknown fields and tolerate unknown codes (README, "Operating it").
 */
public final class SchemaCompatibility {

    /** The kinds of break, as written in {@code CHANGES}. */
    public enum Rule {
        REMOVED_SCHEMA("removed-schema"),
        REMOVED_FIELD("removed-field"),
        NEWLY_REQUIRED("newly-required"),
        NARROWED_TYPE("narrowed-type"),
        NARROWED_ENUM("narrowed-enum"),
        NARROWED_BOUND("narrowed-bound"),
        CHANGED_REF("changed-ref");

        private final String code;

        Rule(final String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * One incompatible change: the schema file, where in it (properties as a dotted path, {@code []} for array
     * items), and the rule. {@link #id()} is how {@code CHANGES} declares it.
     */
    public record Break(String file, String path, Rule rule, String detail) {
        public String id() {
            return file + " " + (path.isEmpty() ? "." : path) + " " + rule.code();
        }

        @Override
        public String toString() {
            return id() + ": " + detail;
        }
    }

    private static final List<String> LOWER_BOUNDS = List.of("minimum", "exclusiveMinimum", "minLength", "minItems");
    private static final List<String> UPPER_BOUNDS = List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems");

    private SchemaCompatibility() {
    }

    /** Every break between two sets of schema files (file name to JSON text). */
    public static List<Break> compare(final Map<String, String> released, final Map<String, String> current) {
        final List<Break> breaks = new ArrayList<>();
        for (final Map.Entry<String, String> file : new TreeMap<>(released).entrySet()) {
            final String now = current.get(file.getKey());
            if (now == null) {
                breaks.add(new Break(file.getKey(), "", Rule.REMOVED_SCHEMA, "the schema file is gone"));
            } else {
                compare(file.getKey(), "", json(file.getValue()), json(now), breaks);
            }
        }
        return breaks;
    }

    /** The breaks declared as accepted: one {@link Break#id()} per line; blank lines and {@code #} comments aside. */
    public static Set<String> declared(final Path changes) {
        final Set<String> ids = new LinkedHashSet<>();
        if (!Files.exists(changes)) {
            return ids;
        }
        try {
            for (final String line : Files.readAllLines(changes, StandardCharsets.UTF_8)) {
                final String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                final String[] words = entry.split("\\s+");
                if (words.length < 3) {
                    throw new IllegalArgumentException("a CHANGES line is <file> <path> <rule> [why]: " + line);
                }
                ids.add(words[0] + " " + words[1] + " " + words[2]);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** The released set to compare with: the highest version directory under {@code released/}. */
    public static Path latestRelease(final Path released) {
        try (Stream<Path> versions = Files.list(released)) {
            return versions.filter(Files::isDirectory)
                .max((a, b) -> compareVersions(a.getFileName().toString(), b.getFileName().toString()))
                .orElseThrow(() -> new IllegalStateException("no released schema set under " + released));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int compareVersions(final String a, final String b) {
        final String[] left = a.split("\\.");
        final String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            final int l = i < left.length ? Integer.parseInt(left[i]) : 0;
            final int r = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        return 0;
    }

    private static void compare(final String file, final String path, final JsonNode old, final JsonNode now,
                                final List<Break> breaks) {
        if (!old.isObject() || !now.isObject()) {
            return;
        }
        if (old.has("$ref") && !old.path("$ref").equals(now.path("$ref"))) {
            breaks.add(new Break(file, path, Rule.CHANGED_REF, old.path("$ref") + " -> " + now.path("$ref")));
        }
        types(file, path, old, now, breaks);
        values(file, path, old, now, breaks);
        bounds(file, path, old, now, breaks);
        final Set<String> wasRequired = names(old.path("required"));
        for (final String name : names(now.path("required"))) {
            if (!wasRequired.contains(name)) {
                breaks.add(new Break(file, join(path, name), Rule.NEWLY_REQUIRED, name + " is required now"));
            }
        }
        final JsonNode oldProperties = old.path("properties");
        final JsonNode newProperties = now.path("properties");
        for (final Iterator<String> names = oldProperties.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!newProperties.has(name)) {
                breaks.add(new Break(file, join(path, name), Rule.REMOVED_FIELD, name + " is no longer described"));
            } else {
                compare(file, join(path, name), oldProperties.get(name), newProperties.get(name), breaks);
            }
        }
        if (old.has("items")) {
            compare(file, path + "[]", old.get("items"), now.path("items"), breaks);
        }
        for (final Iterator<String> names = old.path("$defs").fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            final String defPath = join(path, "$defs." + name);
            if (!now.path("$defs").has(name)) {
                breaks.add(new Break(file, defPath, Rule.REMOVED_FIELD, "the definition " + name + " is gone"));
            } else {
                compare(file, defPath, old.path("$defs").get(name), now.path("$defs").get(name), breaks);
            }
        }
        for (final String branches : List.of("allOf", "anyOf", "oneOf")) {
            final JsonNode was = old.path(branches);
            for (int i = 0; i < was.size(); i++) {
                compare(file, join(path, branches + "[" + i + "]"), was.get(i), now.path(branches).path(i), breaks);
            }
        }
    }

    private static void types(final String file, final String path, final JsonNode old, final JsonNode now,
                              final List<Break> breaks) {
        if (!now.has("type")) {
            return;
        }
        final Set<String> allowed = names(now.path("type"));
        if (!old.has("type")) {
            breaks.add(new Break(file, path, Rule.NARROWED_TYPE, "any type -> " + allowed));
            return;
        }
        for (final String type : names(old.path("type"))) {
            final boolean kept = allowed.contains(type) || type.equals("integer") && allowed.contains("number");
            if (!kept) {
                breaks.add(new Break(file, path, Rule.NARROWED_TYPE, names(old.path("type")) + " -> " + allowed));
                return;
            }
        }
    }

    private static void values(final String file, final String path, final JsonNode old, final JsonNode now,
                               final List<Break> breaks) {
        final List<JsonNode> allowed = values(now);
        if (allowed == null) {
            return;
        }
        final List<JsonNode> before = values(old);
        if (before == null) {
            breaks.add(new Break(file, path, Rule.NARROWED_ENUM, "any value -> " + allowed));
            return;
        }
        for (final JsonNode value : before) {
            if (!allowed.contains(value)) {
                breaks.add(new Break(file, path, Rule.NARROWED_ENUM, value + " is no longer allowed"));
            }
        }
    }

    /** The values an {@code enum} or {@code const} allows, or {@code null} when there is no such limit. */
    private static List<JsonNode> values(final JsonNode schema) {
        if (schema.has("const")) {
            return List.of(schema.get("const"));
        }
        if (schema.has("enum")) {
            final List<JsonNode> values = new ArrayList<>();
            schema.get("enum").forEach(values::add);
            return values;
        }
        return null;
    }

    private static void bounds(final String file, final String path, final JsonNode old, final JsonNode now,
                               final List<Break> breaks) {
        for (final String bound : LOWER_BOUNDS) {
            if (now.has(bound) && (!old.has(bound) || now.get(bound).decimalValue().compareTo(
                old.get(bound).decimalValue()) > 0)) {
                breaks.add(new Break(file, path, Rule.NARROWED_BOUND, bound + " " + old.path(bound) + " -> "
                    + now.get(bound)));
            }
        }
        for (final String bound : UPPER_BOUNDS) {
            if (now.has(bound) && (!old.has(bound) || now.get(bound).decimalValue().compareTo(
                old.get(bound).decimalValue()) < 0)) {
                breaks.add(new Break(file, path, Rule.NARROWED_BOUND, bound + " " + old.path(bound) + " -> "
                    + now.get(bound)));
            }
        }
        if (now.has("pattern") && !now.get("pattern").equals(old.get("pattern"))) {
            breaks.add(new Break(file, path, Rule.NARROWED_BOUND, "pattern " + old.path("pattern") + " -> "
                + now.get("pattern")));
        }
    }

    private static Set<String> names(final JsonNode node) {
        final Set<String> names = new LinkedHashSet<>();
        if (node.isTextual()) {
            names.add(node.asText());
        } else {
            node.forEach(element -> names.add(element.asText()));
        }
        return names;
    }

    private static String join(final String path, final String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static JsonNode json(final String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
