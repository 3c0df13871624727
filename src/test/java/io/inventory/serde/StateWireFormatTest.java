package io.inventory.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.inventory.domain.Allocation;
import io.inventory.domain.Cause;
import io.inventory.domain.FailureReason;
import io.inventory.domain.InventoryItem;
import io.inventory.domain.OrderEvent;
import io.inventory.domain.OrderState;
import io.inventory.domain.OrderStatus;
import io.inventory.domain.OrderShare;
import io.inventory.domain.PendingStep;
import io.inventory.domain.ProductState;
import io.inventory.domain.StockReply;
import io.inventory.query.OrderView;
import io.inventory.query.ProductView;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes of the state stores' values (and so of their changelogs) and of the HTTP views, pinned: a running
 * deployment restores its stores from changelogs of this format, and clients read these field names. The
 * expected strings were taken from the service as it wrote them before the Java names of "held" were split by
 * meaning (units of pending decisions, an order's reserved units).
 */
class StateWireFormatTest {

    private static final String TOPIC = "any-topic";
    private static final Cause CAUSE = new Cause("e1", "corr-1", "user-1");
    private static final InventoryItem ITEM = new InventoryItem("p1", "Widget", "Acme", new BigDecimal("9.90"), "EUR",
        10);

    private static final ProductState PRODUCT = new ProductState(ITEM, 5, 2, List.of("c1", "c2"), 0L);
    private static final String PRODUCT_JSON =
        "{\"item\":{\"productId\":\"p1\",\"title\":\"Widget\",\"brand\":\"Acme\",\"price\":9.90,"
        + "\"currency\":\"EUR\",\"onHand\":10},\"reservedUnits\":5,\"heldUnits\":2,"
        + "\"recentCommandIds\":[\"c1\",\"c2\"],\"deletedAt\":0}";

    private static final OrderState ORDER = new OrderState("o1", "user-1", true, OrderStatus.RESERVED,
        Map.of("p1", 2L), 3, new PendingStep(PendingStep.Kind.UPDATE, 3, Map.of("p1", 2L, "p2", 1L),
            Map.of("p2", 1L), Map.of("p2", new StockReply("o1", "p2", 3, false, FailureReason.INSUFFICIENT_STOCK, 1,
                0, false)), CAUSE, null, 1_000L),
        List.of(new OrderEvent.Fulfilled("e4", "o1", null, Map.of(), CAUSE)), List.of("e1", "e2"), 2_000L,
        Map.of("p3", 1L), List.of("p3"), 1_500L, CAUSE);
    private static final String ORDER_JSON =
        "{\"orderId\":\"o1\",\"userId\":\"user-1\",\"placed\":true,\"status\":\"RESERVED\","
        + "\"held\":{\"p1\":2},\"step\":3,\"pending\":{\"kind\":\"UPDATE\",\"step\":3,"
        + "\"target\":{\"p1\":2,\"p2\":1},\"increases\":{\"p2\":1},"
        + "\"replies\":{\"p2\":{\"orderId\":\"o1\",\"productId\":\"p2\",\"step\":3,\"granted\":false,"
        + "\"reason\":\"INSUFFICIENT_STOCK\",\"requested\":1,\"available\":0,\"reserved\":false}},"
        + "\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\",\"userId\":\"user-1\"},"
        + "\"startedAt\":1000,\"answered\":true},\"deferred\":[{\"@type\":\"fulfilled\","
        + "\"eventId\":\"e4\",\"orderId\":\"o1\",\"lines\":{},\"cause\":{\"eventId\":\"e1\","
        + "\"correlationId\":\"corr-1\",\"userId\":\"user-1\"}}],\"recentEventIds\":[\"e1\",\"e2\"],"
        + "\"updatedAt\":2000,\"fulfilled\":{\"p3\":1},\"lastHeld\":[\"p3\"],\"reservedAt\":1500,"
        + "\"reservedBy\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\",\"userId\":\"user-1\"},"
        + "\"settled\":false}";

    private static final OrderShare SHARE = new OrderShare(new Allocation(3, 1), new Allocation(2, 4));
    private static final String SHARE_JSON =
        "{\"reserved\":{\"quantity\":3,\"step\":1},\"held\":{\"quantity\":2,\"step\":4},"
        + "\"empty\":false}";

    private static final String PRODUCT_VIEW_JSON =
        "{\"productId\":\"p1\",\"title\":\"Widget\",\"brand\":\"Acme\",\"price\":9.90,"
        + "\"currency\":\"EUR\",\"onHand\":10,\"reserved\":5,\"held\":2,\"available\":3,"
        + "\"servedBy\":\"host:1\"}";
    private static final String ORDER_VIEW_JSON =
        "{\"orderId\":\"o1\",\"status\":\"PENDING\",\"placed\":true,\"held\":{\"p1\":2},"
        + "\"fulfilled\":{\"p3\":1},\"servedBy\":\"host:1\"}";

    @Test
    void shouldWriteAndReadAProductStateAsTodaysBytes() {
        assertPinned(new JsonSerde<>(ProductState.class), PRODUCT, PRODUCT_JSON);
    }

    @Test
    void shouldWriteAndReadAnOrderStateAsTodaysBytes() {
        assertPinned(new JsonSerde<>(OrderState.class), ORDER, ORDER_JSON);
    }

    @Test
    void shouldWriteAndReadAnOrdersShareOfAProductAsTodaysBytes() {
        assertPinned(new JsonSerde<>(OrderShare.class), SHARE, SHARE_JSON);
    }

    /** A peer instance reads the view back when it forwards a query ({@code HttpPeerClient}). */
    @Test
    void shouldShowAProductOverHttpWithTodaysFields() throws JsonProcessingException {
        assertPinned(ProductView.class, ProductView.of(PRODUCT, "host:1"), PRODUCT_VIEW_JSON);
    }

    @Test
    void shouldShowAnOrderOverHttpWithTodaysFields() throws JsonProcessingException {
        assertPinned(OrderView.class, OrderView.of(ORDER, "host:1"), ORDER_VIEW_JSON);
    }

    private static <T> void assertPinned(final Class<T> type, final T value, final String json)
        throws JsonProcessingException {
        assertThat(Json.MAPPER.writeValueAsString(value)).isEqualTo(json);
        assertThat(Json.MAPPER.readValue(json, type)).isEqualTo(value);
    }

    private static <T> void assertPinned(final JsonSerde<T> serde, final T value, final String json) {
        // when
        final byte[] written = serde.serializer().serialize(TOPIC, value);
        final T read = serde.deserializer().deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(read).isEqualTo(value);
    }
}
