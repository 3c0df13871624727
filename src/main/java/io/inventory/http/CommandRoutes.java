package io.inventory.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.command.CommandOutcome;
import io.inventory.command.CommandRequests;
import io.inventory.command.Commands;
import io.inventory.command.CommandsUnavailableException;
import io.inventory.command.InvalidCommandException;
import io.inventory.command.PreparedCommand;
import io.inventory.domain.Limits;
import io.inventory.query.InventoryQueries;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The write API: each request becomes one command on {@code inventory.commands}, and the response is its
 * definite outcome once the topology has applied it, or 202 with where to look it up when the wait runs out.
 *
 * <ul>
 *   <li>{@value #IDEMPOTENCY_KEY} names the command (its {@code eventId}); a retry with the same key applies at
 *       most once and answers the first outcome. Without it every request is a new command.</li>
 *   <li>{@code X-Correlation-Id} and {@code X-User-Id} go into the command's metadata and come back on its
 *       events.</li>
 *   <li>Outcomes: applied, 201 (create) or 200, with the item as the event carries it; rejected, 404
 *       ({@code UNKNOWN_PRODUCT}), 409 ({@code PRODUCT_EXISTS}, {@code RESERVATIONS_UNCOVERED}) or 422 (a quantity
 *       or price the product's state does not allow), with the reason; pending, 202 with {@code Location}.</li>
 * </ul>
 */
final class CommandRoutes {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String CORRELATION_ID = "X-Correlation-Id";
    static final String USER_ID = "X-User-Id";

    /** An outcome as the API shows it; absent fields are left out. */
    record OutcomeBody(String commandId, String outcome, JsonNode item, String reason, String location) {
    }

    /** A rejection is an error to the request that caused it: the error body plus the command's id and reason. */
    record RejectedBody(String error, int status, String commandId, String outcome, String reason) {
    }

    private final Commands commands;
    private final Duration wait;

    CommandRoutes(final Commands commands, final Duration wait) {
        this.commands = commands;
        this.wait = wait;
    }

    Response create(final Request request) throws InterruptedException {
        return send(request, origin -> CommandRequests.create(request.body(), origin));
    }

    Response update(final Request request, final String productId) throws InterruptedException {
        return send(request, origin -> CommandRequests.update(productId, request.body(), origin));
    }

    Response delete(final Request request, final String productId) throws InterruptedException {
        if (request.body().length > 0) {
            throw new HttpError(400, "DELETE takes no body");
        }
        return send(request, origin -> CommandRequests.delete(productId, origin));
    }

    Response adjust(final Request request, final String productId) throws InterruptedException {
        return send(request, origin -> CommandRequests.adjust(productId, request.body(), origin));
    }

    /** {@code GET /commands/{commandId}}: a lookup that found an outcome is a 200, whatever the outcome. */
    Response outcome(final String commandId) {
        final Optional<CommandOutcome> outcome = commands.outcome(commandId);
        if (outcome.isEmpty()) {
            return Response.error(404, "no outcome known on this instance for command '" + commandId + "'");
        }
        if (outcome.get() instanceof CommandOutcome.Pending pending) {
            return pending(pending);
        }
        if (outcome.get() instanceof CommandOutcome.Rejected rejected) {
            return Response.json(200, new OutcomeBody(rejected.commandId(), "rejected", null, rejected.reason(),
                null));
        }
        if (outcome.get() instanceof CommandOutcome.Unwritten unwritten) {
            // Never reached Kafka: nothing happened, and a retry with the same Idempotency-Key is safe.
            return Response.json(200, new OutcomeBody(unwritten.commandId(), "unwritten", null, unwritten.reason(),
                null));
        }
        final CommandOutcome.Applied applied = (CommandOutcome.Applied) outcome.get();
        return Response.json(200, new OutcomeBody(applied.commandId(), applied.outcome(), applied.item(), null, null));
    }

    private Response send(final Request request, final Function<CommandRequests.Origin, PreparedCommand> prepare)
        throws InterruptedException {
        final CommandRequests.Origin origin = new CommandRequests.Origin(commandId(request),
            optionalId(request, CORRELATION_ID).orElse(null), optionalId(request, USER_ID).orElse(null));
        final PreparedCommand command;
        try {
            command = prepare.apply(origin);
        } catch (final InvalidCommandException e) {
            throw new HttpError(400, e.getMessage());
        }
        final CommandOutcome outcome;
        try {
            outcome = commands.send(command, wait);
        } catch (final CommandsUnavailableException e) {
            return Response.unavailable(e.getMessage(), InventoryQueries.RETRY_AFTER_SECONDS);
        }
        if (outcome instanceof CommandOutcome.Pending pending) {
            return pending(pending);
        }
        if (outcome instanceof CommandOutcome.Unwritten unwritten) {
            return Response.unavailable("the command could not be written to Kafka: " + unwritten.reason(),
                InventoryQueries.RETRY_AFTER_SECONDS);
        }
        if (outcome instanceof CommandOutcome.Rejected rejected) {
            final int status = rejectionStatus(rejected.reason());
            return Response.json(status, new RejectedBody("command rejected: " + rejected.reason(), status,
                rejected.commandId(), "rejected", rejected.reason()));
        }
        final CommandOutcome.Applied applied = (CommandOutcome.Applied) outcome;
        final OutcomeBody body = new OutcomeBody(applied.commandId(), applied.outcome(), applied.item(), null, null);
        if ("created".equals(applied.outcome())) {
            return Response.json(201, body).withHeader("Location", HttpApi.INVENTORY_PATH + "/"
                + encode(command.productId()));
        }
        return Response.json(200, body);
    }

    private static Response pending(final CommandOutcome.Pending pending) {
        final String location = HttpApi.COMMANDS_PATH + "/" + encode(pending.commandId());
        return Response.json(202, new OutcomeBody(pending.commandId(), "pending", null, null, location))
            .withHeader("Location", location);
    }

    static int rejectionStatus(final String reason) {
        return switch (reason) {
            case "UNKNOWN_PRODUCT" -> 404;
            case "PRODUCT_EXISTS", "RESERVATIONS_UNCOVERED" -> 409;
            default -> 422;
        };
    }

    private static String commandId(final Request request) {
        return optionalId(request, IDEMPOTENCY_KEY).orElseGet(() -> UUID.randomUUID().toString());
    }

    private static Optional<String> optionalId(final Request request, final String header) {
        final Optional<String> value = request.header(header);
        if (value.isPresent() && !Limits.isValidId(value.get())) {
            throw new HttpError(400, header + " must be 1 to " + Limits.MAX_ID_LENGTH + " characters and not blank");
        }
        return value;
    }

    private static String encode(final String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
