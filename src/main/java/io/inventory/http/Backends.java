package io.inventory.http;

import io.inventory.command.Commands;
import io.inventory.query.InventoryQueries;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTP API serves: reads from {@code queries}, writes through {@code commands} (each waiting at most
 * {@code writeTimeout} for its outcome), guarded by {@code auth}, and {@code metrics} when enabled.
 */
public record Backends(InventoryQueries queries, Commands commands, Duration writeTimeout, BearerAuth auth,
                       Optional<MetricsEndpoint> metrics) {

    public Backends {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(metrics, "metrics");
    }
}
