package io.inventory.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.config.Secret;
import io.inventory.query.Consistency;
import io.inventory.query.InventoryQueries;
import io.inventory.query.OrderView;
import io.inventory.query.PeerClient;
import io.inventory.query.ProductSlice;
import io.inventory.query.ProductView;
import io.inventory.query.QueryResult;
import io.inventory.serde.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches the other instances through their {@link HttpApi}, with {@value HttpApi#FORWARDED_BY} set to this
 * instance so that the receiver never forwards again. Timeouts bound how long a handler thread waits for a peer.
 */
public final class HttpPeerClient implements PeerClient {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(HttpPeerClient.class);

    private final HttpClient client;
    private final String self;
    private final Duration timeout;
    private final Optional<Secret> token;

    /** @param self this instance's {@code application.server}, sent in {@value HttpApi#FORWARDED_BY} */
    public HttpPeerClient(final HostInfo self) {
        this(self, DEFAULT_TIMEOUT, Optional.empty());
    }

    /** @param token sent as a bearer token, so that forwarded reads pass the peers' authentication */
    public HttpPeerClient(final HostInfo self, final Duration timeout, final Optional<Secret> token) {
        this.self = InventoryQueries.endpoint(Objects.requireNonNull(self, "self"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.token = Objects.requireNonNull(token, "token");
        // HTTP/1.1 only: the API has no HTTP/2 (h2c) connector, so an upgrade attempt would be wasted.
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    @Override
    public QueryResult<ProductView> product(final HostInfo owner, final String productId,
                                            final Consistency consistency) {
        return get(owner, HttpApi.INVENTORY_PATH + "/" + encode(productId) + staleQuery(consistency),
            ProductView.class);
    }

    @Override
    public QueryResult<OrderView> order(final HostInfo owner, final String orderId, final Consistency consistency) {
        return get(owner, HttpApi.ORDERS_PATH + "/" + encode(orderId) + staleQuery(consistency), OrderView.class);
    }

    private static String staleQuery(final Consistency consistency) {
        return consistency == Consistency.STALE_ALLOWED ? "?stale=true" : "";
    }

    @Override
    public QueryResult<ProductSlice> inventorySlice(final HostInfo host, final int limit, final String after) {
        final String query = "?limit=" + limit + (after == null ? "" : "&after=" + encode(after));
        return get(host, HttpApi.INTERNAL_INVENTORY_PATH + query, ProductSlice.class);
    }

    private <T> QueryResult<T> get(final HostInfo peer, final String pathAndQuery, final Class<T> type) {
        final String endpoint = InventoryQueries.endpoint(peer);
        final HttpRequest.Builder builder = HttpRequest.newBuilder(uri(peer, pathAndQuery))
            .timeout(timeout)
            .header(HttpApi.FORWARDED_BY, self)
            .header("Accept", "application/json")
            .GET();
        token.ifPresent(secret -> builder.header("Authorization", "Bearer " + secret.reveal()));
        final HttpRequest request = builder.build();
        try {
            final HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> found(Json.MAPPER.readTree(response.body()), type, peer);
                case 404 -> new QueryResult.NotFound<>(errorMessage(response.body(), "not found"));
                case 503 -> new QueryResult.Unavailable<>(endpoint + ": "
                    + errorMessage(response.body(), "unavailable"), retryAfter(response));
                default -> {
                    LOG.warn("instance {} answered {} to {}", endpoint, response.statusCode(), pathAndQuery);
                    yield new QueryResult.Unavailable<>("instance " + endpoint + " answered "
                        + response.statusCode(), InventoryQueries.RETRY_AFTER_SECONDS);
                }
            };
        } catch (final JsonProcessingException e) {
            LOG.warn("instance {} answered an unreadable body to {}: {}", endpoint, pathAndQuery, e.getMessage());
            return new QueryResult.Unavailable<>("instance " + endpoint + " answered an unreadable body",
                InventoryQueries.RETRY_AFTER_SECONDS);
        } catch (final IOException e) {
            LOG.warn("instance {} is unreachable for {}: {}", endpoint, pathAndQuery, e.toString());
            return new QueryResult.Unavailable<>("instance " + endpoint + " is unreachable",
                InventoryQueries.RETRY_AFTER_SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QueryResult.Unavailable<>("interrupted while asking instance " + endpoint,
                InventoryQueries.RETRY_AFTER_SECONDS);
        }
    }

    /** A peer's answer; one it read from a lagging copy says so, and stays marked as stale. */
    private static <T> QueryResult<T> found(final JsonNode body, final Class<T> type, final HostInfo peer)
        throws JsonProcessingException {
        final T value = Json.MAPPER.treeToValue(body, type);
        if (body.path("stale").asBoolean(false)) {
            return new QueryResult.FoundStale<>(value, body.path("offsetLag").asLong(-1L),
                body.path("servedBy").asText(InventoryQueries.endpoint(peer)));
        }
        return new QueryResult.FoundRemotely<>(value, peer);
    }

    private static URI uri(final HostInfo peer, final String pathAndQuery) {
        // An IPv6 literal needs brackets in a URI.
        final String host = peer.host().contains(":") ? "[" + peer.host() + "]" : peer.host();
        return URI.create("http://" + host + ":" + peer.port() + pathAndQuery);
    }

    /** Percent-encodes an id for a path segment or a query value ('/' included, space as %20). */
    private static String encode(final String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String errorMessage(final byte[] body, final String fallback) {
        try {
            final JsonNode error = Json.MAPPER.readTree(body).get("error");
            return error != null && error.isTextual() ? error.asText() : fallback;
        } catch (final IOException e) {
            return fallback;
        }
    }

    private static int retryAfter(final HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
            .flatMap(HttpPeerClient::seconds)
            .orElse(InventoryQueries.RETRY_AFTER_SECONDS);
    }

    private static Optional<Integer> seconds(final String value) {
        try {
            final int seconds = Integer.parseInt(value.trim());
            return seconds >= 0 ? Optional.of(seconds) : Optional.empty();
        } catch (final NumberFormatException e) {
            return Optional.empty();
        }
    }
}
