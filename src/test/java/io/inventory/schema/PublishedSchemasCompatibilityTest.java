package io.inventory.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.schema.SchemaCompatibility.Break;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The schemas in {@code topology-docs/schemas} stay backward compatible with the last released set
 * ({@code released/<highest version>/}), except for the breaks declared in {@code CHANGES}.
 */
class PublishedSchemasCompatibilityTest {

    private static final Path CHANGES = EventSchemas.DIR.resolve("CHANGES");

    @Test
    void shouldStayCompatibleWithTheLastReleaseExceptForDeclaredBreaks() {
        final Path release = SchemaCompatibility.latestRelease(EventSchemas.DIR.resolve("released"));
        final List<Break> breaks = SchemaCompatibility.compare(EventSchemas.files(release),
            EventSchemas.files(EventSchemas.DIR));
        final Set<String> declared = SchemaCompatibility.declared(CHANGES);

        assertThat(breaks.stream().filter(b -> !declared.contains(b.id())).toList())
            .as("breaks against %s not declared in %s (add '<id>  why' lines there if they are agreed)", release,
                CHANGES)
            .isEmpty();
        // A declaration that matches no break is stale: it would let a later, unreviewed break of the same kind in.
        assertThat(declared).as("declared in %s but not a break (any more)", CHANGES)
            .isSubsetOf(breaks.stream().map(Break::id).toList());
    }
}
