package io.inventory.topology;

import io.inventory.domain.InventoryCommand;
import io.inventory.domain.OrderEvent;
import io.inventory.domain.StockReply;
import io.inventory.domain.StockRequest;
import io.inventory.serde.JsonSerde;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;

/**
 * The tasks' inputs on the wire ({@code orders-by-id}, {@code <app>-replies-by-order}, {@code holds-by-product},
 * {@code commands-by-product}): a JSON object with one field, named after the input's case, whose value is the
 * domain value's JSON ({@code io.inventory.serde.Json}): {@code {"event":{"@type":"placed",...}}}.
 *
 * <p>That is the JSON the inputs had as records with one field of two set (Jackson leaves the null one out), kept
 * byte for byte because a running deployment has such records in its internal topics; {@code
 * TaskInputWireFormatTest} pins it. A record that sets neither field, or both, is refused as malformed.
 */
public final class InputSerdes {

    public static final Serde<OrderInput> ORDER_INPUT = JsonSerde.via(OrderInput.class, OrderWire.class,
        OrderWire::of, OrderWire::toInput);
    public static final Serde<StockInput> STOCK_INPUT = JsonSerde.via(StockInput.class, StockWire.class,
        StockWire::of, StockWire::toInput);

    private InputSerdes() {
    }

    record OrderWire(OrderEvent event, StockReply reply) {

        static OrderWire of(final OrderInput input) {
            return input.match(event -> new OrderWire(event, null), reply -> new OrderWire(null, reply));
        }

        OrderInput toInput() {
            return oneOf(event, reply, OrderInput.Event::new, OrderInput.Reply::new, "event and reply");
        }
    }

    record StockWire(InventoryCommand command, StockRequest request) {

        static StockWire of(final StockInput input) {
            return input.match(command -> new StockWire(command, null), request -> new StockWire(null, request));
        }

        StockInput toInput() {
            return oneOf(command, request, StockInput.Command::new, StockInput.Request::new, "command and request");
        }
    }

    /** The input of the one field set; a record with neither or both stands for no input. */
    private static <A, B, T> T oneOf(final A first, final B second, final Function<A, T> ifFirst,
                                     final Function<B, T> ifSecond, final String names) {
        if ((first == null) == (second == null)) {
            throw new IllegalArgumentException("exactly one of " + names + " must be set");
        }
        return first != null ? ifFirst.apply(first) : ifSecond.apply(second);
    }
}
