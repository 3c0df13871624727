package io.inventory.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.command.CommandOutcome;
import io.inventory.command.Commands;
import io.inventory.command.PreparedCommand;
import io.inventory.query.FakeStateAccess;
import io.inventory.query.Fixtures;
import io.inventory.query.InventoryQueries;
import io.inventory.query.QueryableStore;
import io.inventory.serde.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} shows {@code http_server_requests} for the requests answered, by route template. */
class HttpMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpApi api;
    private HttpTestClient http;

    @BeforeEach
    void start() throws IOException {
        api = HttpApi.bind(0);
        final HostInfo host = new HostInfo("localhost", api.port());
        final FakeStateAccess access = new FakeStateAccess(host);
        access.put(QueryableStore.INVENTORY, "p-1", Fixtures.product("p-1"));
        final Commands commands = new Commands() {
            @Override
            public CommandOutcome send(final PreparedCommand command, final Duration wait) {
                return new CommandOutcome.Applied(command.commandId(), "updated", "InventoryItemUpdatedEvent",
                    Json.MAPPER.createObjectNode().put("aggregateId", command.productId()));
            }

            @Override
            public Optional<CommandOutcome> outcome(final String commandId) {
                return Optional.empty();
            }
        };
        final MetricsEndpoint metrics = new MetricsEndpoint() {
            @Override
            public String contentType() {
                return "text/plain; version=0.0.4; charset=utf-8";
            }

            @Override
            public String scrape() {
                return registry.scrape(contentType());
            }

            @Override
            public Optional<MeterRegistry> registry() {
                return Optional.of(registry);
            }
        };
        api.serve(new Backends(new InventoryQueries(access, host, new HttpPeerClient(host)), commands,
            Duration.ofSeconds(1), BearerAuth.NONE, Optional.of(metrics)));
        http = new HttpTestClient(api.port());
    }

    @AfterEach
    void stop() {
        api.close();
        registry.close();
    }

    @Test
    void shouldTimeEveryRequestByMethodRouteTemplateStatusAndOutcome() {
        // given: reads of two products, a write on the worker pool, an unknown path and a wrong method
        assertThat(http.get("/inventory/p-1").statusCode()).isEqualTo(200);
        assertThat(http.get("/inventory/p-2").statusCode()).isEqualTo(404);
        assertThat(http.send("POST", "/inventory/p-1/adjustments", HttpRequest.BodyPublishers.ofString(
            "{\"delta\":1}")).statusCode()).isEqualTo(200);
        assertThat(http.get("/nope/p-1").statusCode()).isEqualTo(404);
        assertThat(http.send("PATCH", "/inventory/p-1", HttpRequest.BodyPublishers.noBody()).statusCode())
            .isEqualTo(405);

        // when
        final String scrape = http.get("/metrics").body();

        // then: one series per route template, never per id
        assertThat(scrape).contains("# TYPE http_server_requests_seconds summary")
            .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
                + "uri=\"/inventory/{productId}\"} 1")
            .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\","
                + "uri=\"/inventory/{productId}\"} 1")
            .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"200\","
                + "uri=\"/inventory/{productId}/adjustments\"} 1")
            .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\","
                + "uri=\"NOT_FOUND\"} 1")
            .contains("http_server_requests_seconds_count{method=\"PATCH\",outcome=\"CLIENT_ERROR\",status=\"405\","
                + "uri=\"UNKNOWN\"} 1")
            .doesNotContain("p-1\"", "p-2\"", "/nope");
    }
}
