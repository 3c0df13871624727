package io.inventory.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.schema.SchemaCompatibility.Break;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compatibility checker on small synthetic schema pairs: each rule fails, and widening passes. */
class SchemaCompatibilityTest {

    private static final String RELEASED = """
        {
          "type": "object",
          "required": ["orderId", "items"],
          "properties": {
            "orderId": { "type": "string", "maxLength": 200 },
            "note": { "type": ["string", "null"] },
            "price": { "type": "number" },
            "reason": { "enum": ["CANCELLED", "UPDATED"] },
            "items": { "type": "array", "items": { "type": "object", "properties": {
              "quantity": { "type": "integer", "minimum": 1 } } } },
            "line": { "$ref": "common.json#/$defs/line" }
          },
          "allOf": [ { "properties": { "eventType": { "const": "OrderCreatedEvent" } } } ],
          "$defs": { "id": { "type": "string", "minLength": 1 } }
        }""";

    private static List<Break> changed(final String from, final String to) {
        return SchemaCompatibility.compare(Map.of("order.json", RELEASED),
            Map.of("order.json", RELEASED.replace(from, to)));
    }

    private static List<String> ids(final List<Break> breaks) {
        return breaks.stream().map(Break::id).toList();
    }

    @Test
    void shouldFindNoBreakInAnUnchangedSet() {
        assertThat(SchemaCompatibility.compare(Map.of("order.json", RELEASED), Map.of("order.json", RELEASED)))
            .isEmpty();
    }

    @Test
    void shouldAcceptWidening() {
        final String widened = RELEASED
            .replace("\"note\": { \"type\": [\"string\", \"null\"] }",
                "\"note\": { \"type\": [\"string\", \"null\"] }, \"extra\": { \"type\": \"string\" }")
            .replace("[\"CANCELLED\", \"UPDATED\"]", "[\"CANCELLED\", \"UPDATED\", \"EXPIRED\"]")
            .replace("\"maxLength\": 200", "\"maxLength\": 400")
            .replace("\"quantity\": { \"type\": \"integer\", \"minimum\": 1 }", "\"quantity\": { \"type\": \"number\" }");

        assertThat(SchemaCompatibility.compare(Map.of("order.json", RELEASED),
            Map.of("order.json", widened, "new.json", "{\"type\": \"object\"}"))).isEmpty();
    }

    @Test
    void shouldFailOnARemovedSchemaFile() {
        assertThat(ids(SchemaCompatibility.compare(Map.of("order.json", RELEASED), Map.of())))
            .containsExactly("order.json . removed-schema");
    }

    @Test
    void shouldFailOnARemovedField() {
        assertThat(ids(changed("\"note\": { \"type\": [\"string\", \"null\"] },", "")))
            .containsExactly("order.json note removed-field");
    }

    @Test
    void shouldFailOnARemovedDefinition() {
        assertThat(ids(changed("\"id\": { \"type\": \"string\", \"minLength\": 1 }", "\"other\": {}")))
            .containsExactly("order.json $defs.id removed-field");
    }

    @Test
    void shouldFailOnANewlyRequiredField() {
        assertThat(ids(changed("[\"orderId\", \"items\"]", "[\"orderId\", \"items\", \"note\"]")))
            .containsExactly("order.json note newly-required");
    }

    @Test
    void shouldFailOnANarrowedType() {
        assertThat(ids(changed("[\"string\", \"null\"]", "\"string\"")))
            .containsExactly("order.json note narrowed-type");
        assertThat(ids(changed("\"price\": { \"type\": \"number\" }", "\"price\": { \"type\": \"integer\" }")))
            .containsExactly("order.json price narrowed-type");
        assertThat(ids(changed("\"line\": { \"$ref\": \"common.json#/$defs/line\" }",
            "\"line\": { \"$ref\": \"common.json#/$defs/line\", \"type\": \"object\" }")))
            .containsExactly("order.json line narrowed-type");
    }

    @Test
    void shouldFailOnANarrowedEnumOrConst() {
        assertThat(ids(changed("[\"CANCELLED\", \"UPDATED\"]", "[\"CANCELLED\"]")))
            .containsExactly("order.json reason narrowed-enum");
        assertThat(ids(changed("\"price\": { \"type\": \"number\" }", "\"price\": { \"type\": \"number\", \"enum\": [1] }")))
            .containsExactly("order.json price narrowed-enum");
        assertThat(ids(changed("\"const\": \"OrderCreatedEvent\"", "\"const\": \"OrderPlacedEvent\"")))
            .containsExactly("order.json allOf[0].eventType narrowed-enum");
    }

    @Test
    void shouldFailOnANarrowedBoundDeepInside() {
        assertThat(ids(changed("\"minimum\": 1", "\"minimum\": 2")))
            .containsExactly("order.json items[].quantity narrowed-bound");
        assertThat(ids(changed("\"maxLength\": 200", "\"maxLength\": 100")))
            .containsExactly("order.json orderId narrowed-bound");
        assertThat(ids(changed("\"minLength\": 1", "\"minLength\": 1, \"pattern\": \"^a\"")))
            .containsExactly("order.json $defs.id narrowed-bound");
    }

    @Test
    void shouldFailOnAChangedReference() {
        assertThat(ids(changed("common.json#/$defs/line", "common.json#/$defs/otherLine")))
            .containsExactly("order.json line changed-ref");
    }

    @Test
    void shouldReadDeclaredBreaksWithoutCommentsOrReasons(@TempDir final Path dir) throws IOException {
        final Path changes = dir.resolve("CHANGES");
        Files.writeString(changes, "# accepted\n\norder.json note newly-required   consumers agreed on 2026-12-01\n");

        assertThat(SchemaCompatibility.declared(changes)).containsExactly("order.json note newly-required");
        assertThat(SchemaCompatibility.declared(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void shouldCompareWithTheHighestReleasedVersion(@TempDir final Path dir) throws IOException {
        Files.createDirectories(dir.resolve("0.9.0"));
        Files.createDirectories(dir.resolve("0.10.0"));
        Files.createDirectories(dir.resolve("0.2.1"));

        assertThat(SchemaCompatibility.latestRelease(dir).getFileName().toString()).isEqualTo("0.10.0");
    }
}
