package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.query.FakeStateAccess;
import io.inventory.query.InventoryQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** {@code topology-docs/openapi.yaml} documents every public route the API serves, and no route it does not. */
class OpenApiDocTest {

    private static final Pattern PATH = Pattern.compile("^  (/\\S*):\\s*$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|put|delete|patch):.*$");

    @Test
    void shouldDocumentExactlyThePublicRoutes() throws IOException {
        final HostInfo host = new HostInfo("localhost", 8080);
        final List<String> served = HttpApi.routes(new Backends(new InventoryQueries(new FakeStateAccess(host), host,
                new HttpPeerClient(host)), io.inventory.command.Commands.UNAVAILABLE, java.time.Duration.ofSeconds(1),
                BearerAuth.NONE, java.util.Optional.empty()))
            .stream().map(Route::describe)
            .filter(route -> !route.contains(" /internal/"))
            .toList();

        assertThat(documented()).containsExactlyInAnyOrderElementsOf(served);
    }

    private static List<String> documented() throws IOException {
        final List<String> routes = new ArrayList<>();
        boolean inPaths = false;
        String path = null;
        for (final String line : Files.readAllLines(Path.of("topology-docs", "openapi.yaml"))) {
            if (line.equals("paths:")) {
                inPaths = true;
                continue;
            }
            if (!inPaths) {
                continue;
            }
            final Matcher pathLine = PATH.matcher(line);
            final Matcher methodLine = METHOD.matcher(line);
            if (pathLine.matches()) {
                path = pathLine.group(1);
            } else if (methodLine.matches() && path != null) {
                routes.add(methodLine.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return routes;
    }
}
