package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.command.CommandOutcome;
import io.inventory.command.Commands;
import io.inventory.command.CommandsUnavailableException;
import io.inventory.command.PreparedCommand;
import io.inventory.config.Secret;
import io.inventory.domain.InventoryCommand;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import io.inventory.serde.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write API, authentication and the metrics route over real HTTP, with commands answered by a stand-in. */
class WriteApiTest {

    private static final String TOKEN = "s3cret-token-for-tests";

    private final FakeCommands commands = new FakeCommands();
    private FakeStateAccess access;
    private HttpApi api;
    private HttpTestClient http;

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        access = new FakeStateAccess(host);
        final MetricsEndpoint metrics = new MetricsEndpoint() {
            @Override
            public String contentType() {
                return "text/plain; version=0.0.4; charset=utf-8";
            }

            @Override
            public String scrape() {
                return "# TYPE up gauge\nup 1\n";
            }
        };
        api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host)), commands,
            Duration.ofMillis(200), new BearerAuth(Optional.of(Secret.of(TOKEN)), false), Optional.of(metrics)));
        http = new HttpTestClient(api.port());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldCreateAnItemAndAnswerItsAppliedState() {
        final HttpResponse<String> response = write("POST", "/inventory", """
            {"productId":"p-1","title":"Trail shoe","brand":"Acme","quantity":10,"price":89.90,"currency":"EUR"}""");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/inventory/p-1");
        final JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("outcome").asText()).isEqualTo("created");
        assertThat(body.get("item").get("quantity").asLong()).isEqualTo(10);
        final PreparedCommand sent = commands.sent.get(0);
        assertThat(sent.command()).isInstanceOfSatisfying(InventoryCommand.CreateItem.class, create -> {
            assertThat(create.productId()).isEqualTo("p-1");
            assertThat(create.quantity()).isEqualTo(10);
            assertThat(create.price()).isEqualByComparingTo("89.90");
        });
        assertThat(body.get("commandId").asText()).isEqualTo(sent.commandId());
    }

    @Test
    void shouldSendEachRouteAsItsCommandType() {
        write("PUT", "/inventory/p-1", "{\"title\":\"New title\"}");
        write("POST", "/inventory/p-1/adjustments", "{\"delta\":-3}");
        write("DELETE", "/inventory/p-1", null);

        assertThat(commands.sent).extracting(command -> command.command().commandType())
            .containsExactly("UpdateInventoryItem", "AdjustInventoryStock", "DeleteInventoryItem");
        assertThat(commands.sent).extracting(PreparedCommand::productId).containsOnly("p-1");
        assertThat(((InventoryCommand.AdjustStock) commands.sent.get(1).command()).delta()).isEqualTo(-3);
    }

    @Test
    void shouldUseTheIdempotencyKeyAndCorrelationHeadersInTheEnvelope() throws IOException {
        final HttpResponse<String> response = http.send(authorized("/inventory/p-1/adjustments")
            .header("Idempotency-Key", "restock-42").header("X-Correlation-Id", "corr-7").header("X-User-Id", "ops")
            .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":5}")).build());

        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode envelope = Json.MAPPER.readTree(commands.sent.get(0).envelope());
        assertThat(envelope.get("eventId").asText()).isEqualTo("restock-42");
        assertThat(envelope.get("metadata").get("correlationId").asText()).isEqualTo("corr-7");
        assertThat(envelope.get("metadata").get("userId").asText()).isEqualTo("ops");
    }

    @Test
    void shouldAnswerARejectionWithItsReasonAndAFittingStatus() {
        for (final Map.Entry<String, Integer> expected : Map.of("PRODUCT_EXISTS", 409, "UNKNOWN_PRODUCT", 404,
            "RESERVATIONS_UNCOVERED", 409, "INVALID_QUANTITY", 422).entrySet()) {
            commands.answer = command -> new CommandOutcome.Rejected(command.commandId(), expected.getKey(),
                command.command().commandType());

            final HttpResponse<String> response = write("POST", "/inventory/p-1/adjustments", "{\"delta\":-3}");

            assertThat(response.statusCode()).as(expected.getKey()).isEqualTo(expected.getValue());
            final JsonNode body = HttpTestClient.json(response);
            assertThat(body.get("reason").asText()).isEqualTo(expected.getKey());
            assertThat(body.get("status").asInt()).isEqualTo(expected.getValue());
            assertThat(body.get("error").asText()).contains(expected.getKey());
        }
    }

    @Test
    void shouldAnswer202WithWhereToLookWhenTheOutcomeIsLate() {
        commands.answer = command -> new CommandOutcome.Pending(command.commandId());

        final HttpResponse<String> response = write("DELETE", "/inventory/p-1", null);

        assertThat(response.statusCode()).isEqualTo(202);
        final String commandId = commands.sent.get(0).commandId();
        assertThat(response.headers().firstValue("Location")).hasValue("/commands/" + commandId);
        assertThat(HttpTestClient.json(response).get("outcome").asText()).isEqualTo("pending");

        commands.known.put(commandId, new CommandOutcome.Applied(commandId, "deleted", "InventoryItemDeletedEvent",
            Json.MAPPER.createObjectNode().put("aggregateId", "p-1")));
        final HttpResponse<String> later = http.get("/commands/" + commandId);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(later).get("outcome").asText()).isEqualTo("deleted");
        assertThat(http.get("/commands/never-sent").statusCode()).isEqualTo(404);

        commands.known.put("lost", new CommandOutcome.Unwritten("lost", "TimeoutException"));
        final HttpResponse<String> lost = http.get("/commands/lost");
        assertThat(lost.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(lost).get("outcome").asText()).isEqualTo("unwritten");
        assertThat(HttpTestClient.json(lost).get("reason").asText()).isEqualTo("TimeoutException");
    }

    @Test
    void shouldAnswer503WhenCommandsCannotBeWritten() {
        commands.answer = command -> {
            throw new CommandsUnavailableException("the command could not be written to Kafka: TimeoutException");
        };

        final HttpResponse<String> response = write("POST", "/inventory/p-1/adjustments", "{\"delta\":1}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(HttpTestClient.json(response).get("error").asText()).contains("could not be written");
    }

    @Test
    void shouldRefuseBadBodiesWith400AndSendNothing() {
        final List<String[]> bad = List.of(
            new String[] {"POST", "/inventory", "{not json"},
            new String[] {"POST", "/inventory", "[1,2]"},
            new String[] {"POST", "/inventory", ""},
            new String[] {"POST", "/inventory", "{\"productId\":\"p-1\",\"title\":\"t\",\"brand\":\"b\","
                + "\"quantity\":10,\"currency\":\"EUR\"}"},
            new String[] {"POST", "/inventory", "{\"productId\":\"p-1\",\"title\":\"t\",\"brand\":\"b\","
                + "\"quantity\":10,\"price\":-1,\"currency\":\"EUR\"}"},
            new String[] {"POST", "/inventory", "{\"productId\":\"p-1\",\"title\":\"t\",\"brand\":\"b\","
                + "\"quantity\":-5,\"price\":1,\"currency\":\"EUR\"}"},
            new String[] {"POST", "/inventory", "{\"productId\":7,\"title\":\"t\",\"brand\":\"b\","
                + "\"quantity\":1,\"price\":1,\"currency\":\"EUR\"}"},
            new String[] {"PUT", "/inventory/p-1", "{\"quantitiy\":5}"},
            new String[] {"PUT", "/inventory/p-1", "{\"productId\":\"p-2\",\"quantity\":5}"},
            new String[] {"PUT", "/inventory/p-1", "{}"},
            new String[] {"PUT", "/inventory/p-1", "{\"quantity\":\"five\"}"},
            new String[] {"PUT", "/inventory/p-1", "{\"quantity\":1.5}"},
            new String[] {"PUT", "/inventory/p-1", "{\"title\":42}"},
            new String[] {"POST", "/inventory/p-1/adjustments", "{}"},
            new String[] {"POST", "/inventory/p-1/adjustments", "{\"delta\":1e30}"},
            new String[] {"POST", "/inventory/p-1/adjustments", "{\"delta\":1} trailing"},
            new String[] {"DELETE", "/inventory/p-1", "{\"productId\":\"p-1\"}"});

        for (final String[] request : bad) {
            final HttpResponse<String> response = write(request[0], request[1], request[2]);

            assertThat(response.statusCode()).as(String.join(" ", request)).isEqualTo(400);
            final JsonNode body = HttpTestClient.json(response);
            assertThat(body.get("status").asInt()).isEqualTo(400);
            assertThat(body.get("error").asText()).isNotBlank().doesNotContain("Exception");
        }
        assertThat(commands.sent).isEmpty();
    }

    @Test
    void shouldRefuseAnOverlongIdempotencyKey() {
        final HttpResponse<String> response = http.send(authorized("/inventory/p-1/adjustments")
            .header("Idempotency-Key", "k".repeat(201))
            .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":5}")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(commands.sent).isEmpty();
    }

    @Test
    void shouldRequireTheBearerTokenForWritesOnly() {
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        final String body = "{\"delta\":5}";

        final HttpResponse<String> missing = http.send("POST", "/inventory/p-1/adjustments",
            HttpRequest.BodyPublishers.ofString(body));
        final HttpResponse<String> wrong = http.send(http.request("/inventory/p-1/adjustments")
            .header("Authorization", "Bearer " + TOKEN + "x").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        final HttpResponse<String> basic = http.send(http.request("/inventory/p-1/adjustments")
            .header("Authorization", "Basic " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build());

        for (final HttpResponse<String> refused : List.of(missing, wrong, basic)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(refused.body()).doesNotContain(TOKEN);
        }
        assertThat(commands.sent).isEmpty();
        assertThat(write("POST", "/inventory/p-1/adjustments", body).statusCode()).isEqualTo(200);
        assertThat(http.get("/inventory/p-1").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldLogNoTokenWhateverHappens() {
        final ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
            new ch.qos.logback.core.read.ListAppender<>();
        final ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.TRACE);
        logged.start();
        root.addAppender(logged);
        try {
            commands.answer = command -> {
                throw new IllegalStateException("a bug while sending");
            };
            write("POST", "/inventory/p-1/adjustments", "{\"delta\":1}");
            http.send(http.request("/inventory/p-1/adjustments").header("Authorization", "Bearer wrong-" + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            http.get("/inventory/p-1");
        } finally {
            root.detachAppender(logged);
            root.setLevel(level);
        }

        assertThat(logged.list).isNotEmpty();
        assertThat(logged.list).allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(TOKEN);
            if (event.getThrowableProxy() != null) {
                assertThat(event.getThrowableProxy().getMessage()).doesNotContain(TOKEN);
            }
        });
    }

    @Test
    void shouldProtectReadsTooWhenConfigured() throws IOException {
        api.close();
        api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        final FakeStateAccess readsAccess = new FakeStateAccess(host);
        readsAccess.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        api.serve(new Backends(new InventoryQueries(readsAccess, host, new HttpPeerClient(host)), commands,
            Duration.ofMillis(200), new BearerAuth(Optional.of(Secret.of(TOKEN)), true), Optional.empty()));
        http = new HttpTestClient(api.port());

        assertThat(http.get("/inventory/p-1").statusCode()).isEqualTo(401);
        assertThat(http.get("/orders/o-1").statusCode()).isEqualTo(401);
        assertThat(http.send(authorized("/inventory/p-1").GET().build()).statusCode()).isEqualTo(200);
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(http.get("/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldServeMetricsInPrometheusTextFormat() {
        final HttpResponse<String> response = http.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("up 1");
    }

    private HttpResponse<String> write(final String method, final String path, final String body) {
        return http.send(authorized(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder authorized(final String path) {
        return http.request(path).header("Authorization", "Bearer " + TOKEN);
    }

    /** Applies every command at once unless told otherwise, and keeps what was sent. */
    private static final class FakeCommands implements Commands {

        private final List<PreparedCommand> sent = new CopyOnWriteArrayList<>();
        private final Map<String, CommandOutcome> known = new ConcurrentHashMap<>();
        private volatile Function<PreparedCommand, CommandOutcome> answer = command -> new CommandOutcome.Applied(
            command.commandId(), command.command() instanceof InventoryCommand.CreateItem ? "created" : "updated",
            "InventoryItemUpdatedEvent", Json.MAPPER.valueToTree(Map.of("aggregateId", command.productId(),
                "quantity", 10)));

        @Override
        public CommandOutcome send(final PreparedCommand command, final Duration wait) {
            sent.add(command);
            final CommandOutcome outcome = answer.apply(command);
            if (outcome instanceof CommandOutcome.Pending) {
                known.put(command.commandId(), outcome);
            }
            return outcome;
        }

        @Override
        public Optional<CommandOutcome> outcome(final String commandId) {
            return Optional.ofNullable(known.get(commandId));
        }
    }
}
