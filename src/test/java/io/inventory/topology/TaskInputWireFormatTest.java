package io.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.domain.Cause;
import io.inventory.domain.FailureReason;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.OrderEvent;
import io.inventory.domain.ReleaseReason;
import io.inventory.domain.StockReply;
import io.inventory.domain.StockRequest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes of the tasks' inputs on {@code orders-by-id}, {@code <app>-replies-by-order}, {@code holds-by-product}
 * and {@code commands-by-product}, pinned: a running deployment has records of this format in flight and in its
 * internal topics, so a new version must write exactly these bytes and read them back. The expected strings were
 * taken from the service as it wrote them when the inputs were records with one field set ({@code OrderInput(event,
 * reply)}, {@code StockInput(command, request)}, written by Jackson with nulls left out).
 */
class TaskInputWireFormatTest {

    private static final String TOPIC = "any-topic";
    private static final Cause CAUSE = new Cause("e1", "corr-1", "user-1");
    private static final Cause NO_USER = Cause.of("e2", null, null);
    private static final StockRequest.Hold HOLD = new StockRequest.Hold("o1", "p1", 2, 3, true, "user-1", CAUSE);

    static Stream<Arguments> orderInputs() {
        return Stream.of(
            Arguments.of(event(new OrderEvent.Placed("e1", "o1", "user-1", Map.of("p2", 2L, "p1", 1L),
                    List.of("p9"), CAUSE)),
                "{\"event\":{\"@type\":\"placed\",\"eventId\":\"e1\",\"orderId\":\"o1\","
                + "\"userId\":\"user-1\",\"lines\":{\"p1\":1,\"p2\":2},\"invalidLines\":[\"p9\"],"
                + "\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\",\"userId\":\"user-1\"}}}"),
            Arguments.of(event(new OrderEvent.Changed("e2", "o1", "user-1", Map.of("p1", 4L), List.of(),
                    NO_USER)),
                "{\"event\":{\"@type\":\"changed\",\"eventId\":\"e2\",\"orderId\":\"o1\","
                + "\"userId\":\"user-1\",\"lines\":{\"p1\":4},\"invalidLines\":[],"
                + "\"cause\":{\"eventId\":\"e2\",\"correlationId\":\"e2\"}}}"),
            Arguments.of(event(new OrderEvent.Cancelled("e3", "o1", "user-1", "customer asked", CAUSE)),
                "{\"event\":{\"@type\":\"cancelled\",\"eventId\":\"e3\",\"orderId\":\"o1\","
                + "\"userId\":\"user-1\",\"reason\":\"customer asked\",\"cause\":{\"eventId\":\"e1\","
                + "\"correlationId\":\"corr-1\",\"userId\":\"user-1\"}}}"),
            Arguments.of(event(new OrderEvent.Cancelled("e4", "o1", "user-1", null, NO_USER)),
                "{\"event\":{\"@type\":\"cancelled\",\"eventId\":\"e4\",\"orderId\":\"o1\","
                + "\"userId\":\"user-1\",\"cause\":{\"eventId\":\"e2\",\"correlationId\":\"e2\"}}}"),
            Arguments.of(event(new OrderEvent.Fulfilled("e5", "o1", null, Map.of(), NO_USER)),
                "{\"event\":{\"@type\":\"fulfilled\",\"eventId\":\"e5\",\"orderId\":\"o1\",\"lines\":{},"
                + "\"cause\":{\"eventId\":\"e2\",\"correlationId\":\"e2\"}}}"),
            Arguments.of(event(new OrderEvent.Fulfilled("e6", "o1", "user-1", Map.of("p1", 1L), CAUSE)),
                "{\"event\":{\"@type\":\"fulfilled\",\"eventId\":\"e6\",\"orderId\":\"o1\","
                + "\"userId\":\"user-1\",\"lines\":{\"p1\":1},\"cause\":{\"eventId\":\"e1\","
                + "\"correlationId\":\"corr-1\",\"userId\":\"user-1\"}}}"),
            Arguments.of(reply(StockReply.granted(HOLD, 7)),
                "{\"reply\":{\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":2,\"granted\":true,"
                + "\"requested\":3,\"available\":7,\"reserved\":true}}"),
            Arguments.of(reply(StockReply.refused(new StockRequest.Hold("o1", "p2", 2, 5, false, "user-1",
                CAUSE), FailureReason.INSUFFICIENT_STOCK, 1)),
                "{\"reply\":{\"orderId\":\"o1\",\"productId\":\"p2\",\"step\":2,\"granted\":false,"
                + "\"reason\":\"INSUFFICIENT_STOCK\",\"requested\":5,\"available\":1,\"reserved\":false}}"));
    }

    static Stream<Arguments> stockInputs() {
        return Stream.of(
            Arguments.of(command(new InventoryCommand.CreateItem("c1", "p1", "Widget", "Acme", 10,
                new BigDecimal("100.00"), "EUR", NO_USER)),
                "{\"command\":{\"@type\":\"create\",\"commandId\":\"c1\",\"productId\":\"p1\","
                + "\"title\":\"Widget\",\"brand\":\"Acme\",\"quantity\":10,\"price\":100.00,"
                + "\"currency\":\"EUR\",\"cause\":{\"eventId\":\"e2\",\"correlationId\":\"e2\"}}}"),
            Arguments.of(command(new InventoryCommand.UpdateItem("c2", "p1", "Gadget", "Globex", 7L,
                new BigDecimal("12.5"), "USD", CAUSE)),
                "{\"command\":{\"@type\":\"update\",\"commandId\":\"c2\",\"productId\":\"p1\","
                + "\"title\":\"Gadget\",\"brand\":\"Globex\",\"quantity\":7,\"price\":12.5,"
                + "\"currency\":\"USD\",\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\","
                + "\"userId\":\"user-1\"}}}"),
            Arguments.of(command(new InventoryCommand.UpdateItem("c3", "p1", null, null, null, null, null,
                NO_USER)),
                "{\"command\":{\"@type\":\"update\",\"commandId\":\"c3\",\"productId\":\"p1\","
                + "\"cause\":{\"eventId\":\"e2\",\"correlationId\":\"e2\"}}}"),
            Arguments.of(command(new InventoryCommand.DeleteItem("c4", "p1", NO_USER)),
                "{\"command\":{\"@type\":\"delete\",\"commandId\":\"c4\",\"productId\":\"p1\","
                + "\"cause\":{\"eventId\":\"e2\",\"correlationId\":\"e2\"}}}"),
            Arguments.of(command(new InventoryCommand.AdjustStock("c5", "p1", -4, CAUSE)),
                "{\"command\":{\"@type\":\"adjust\",\"commandId\":\"c5\",\"productId\":\"p1\","
                + "\"delta\":-4,\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\","
                + "\"userId\":\"user-1\"}}}"),
            Arguments.of(request(HOLD),
                "{\"request\":{\"@type\":\"hold\",\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":2,"
                + "\"quantity\":3,\"atOnce\":true,\"userId\":\"user-1\",\"cause\":{\"eventId\":\"e1\","
                + "\"correlationId\":\"corr-1\",\"userId\":\"user-1\"}}}"),
            Arguments.of(request(new StockRequest.Confirm("o1", "p1", 2, "user-1", CAUSE)),
                "{\"request\":{\"@type\":\"confirm\",\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":2,"
                + "\"userId\":\"user-1\",\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\","
                + "\"userId\":\"user-1\"}}}"),
            Arguments.of(request(new StockRequest.Abort("o1", "p1", 2, 3, CAUSE)),
                "{\"request\":{\"@type\":\"abort\",\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":2,"
                + "\"quantity\":3,\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\","
                + "\"userId\":\"user-1\"}}}"),
            Arguments.of(request(new StockRequest.Release("o1", "p1", 3, 2, ReleaseReason.UPDATED, CAUSE)),
                "{\"request\":{\"@type\":\"release\",\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":3,"
                + "\"quantity\":2,\"reason\":\"UPDATED\",\"cause\":{\"eventId\":\"e1\","
                + "\"correlationId\":\"corr-1\",\"userId\":\"user-1\"}}}"),
            Arguments.of(request(new StockRequest.Release("o1", "p1", 4, StockRequest.Release.ALL,
                ReleaseReason.EXPIRED, NO_USER)),
                "{\"request\":{\"@type\":\"release\",\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":4,"
                + "\"quantity\":-1,\"reason\":\"EXPIRED\",\"cause\":{\"eventId\":\"e2\","
                + "\"correlationId\":\"e2\"}}}"),
            Arguments.of(request(new StockRequest.Fulfil("o1", "p1", 5, 2, CAUSE)),
                "{\"request\":{\"@type\":\"fulfil\",\"orderId\":\"o1\",\"productId\":\"p1\",\"step\":5,"
                + "\"quantity\":2,\"cause\":{\"eventId\":\"e1\",\"correlationId\":\"corr-1\","
                + "\"userId\":\"user-1\"}}}"));
    }

    @ParameterizedTest
    @MethodSource("orderInputs")
    void shouldWriteAndReadAnOrderInputAsTodaysBytes(final OrderInput input, final String json) {
        assertPinned(InputSerdes.ORDER_INPUT, input, json);
    }

    @ParameterizedTest
    @MethodSource("stockInputs")
    void shouldWriteAndReadAStockInputAsTodaysBytes(final StockInput input, final String json) {
        assertPinned(InputSerdes.STOCK_INPUT, input, json);
    }

    private static OrderInput event(final OrderEvent event) {
        return new OrderInput.Event(event);
    }

    private static OrderInput reply(final StockReply reply) {
        return new OrderInput.Reply(reply);
    }

    private static StockInput command(final InventoryCommand command) {
        return new StockInput.Command(command);
    }

    private static StockInput request(final StockRequest request) {
        return new StockInput.Request(request);
    }

    private static <T> void assertPinned(final Serde<T> serde, final T input, final String json) {
        // when
        final byte[] written = serde.serializer().serialize(TOPIC, input);
        final T read = serde.deserializer().deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(read).isEqualTo(input);
    }
}
