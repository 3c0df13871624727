package io.inventory.topology;

import io.inventory.domain.InventoryCommand;
import io.inventory.domain.OrderEvent;
import io.inventory.metrics.DeadLetterCounters;
import io.inventory.serde.InboundReader;
import io.inventory.serde.Parsed;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw inbound records. A valid event is forwarded keyed by the id it must be routed by; an invalid one
 * becomes a dead letter with its reason and source coordinates, and, when it can still be attributed, is
 * forwarded too so its sender gets a business answer. Nothing is dropped and nothing throws. Dead letters are
 * counted by reason ({@link DeadLetterCounters}).
 */
final class InboundParser<T> extends ContextualProcessor<byte[], byte[], String, Routed> {

    private static final Logger LOG = LoggerFactory.getLogger(InboundParser.class);
    /** The one event type each order topic carries. */
    private static final Map<String, String> EVENT_TYPES = Map.of(
        Topics.ORDER_CREATED.name(), "OrderCreatedEvent",
        Topics.ORDER_UPDATED.name(), "OrderUpdatedEvent",
        Topics.ORDER_CANCELLED.name(), "OrderCancelledEvent",
        Topics.ORDER_FULFILLED.name(), "OrderFulfilledEvent");

    private final BiFunction<String, byte[], Parsed<T>> reader;
    private final Function<T, String> routingKey;
    private final Function<T, Routed> route;
    private DeadLetterCounters deadLetters;

    private InboundParser(final BiFunction<String, byte[], Parsed<T>> reader, final Function<T, String> routingKey,
                          final Function<T, Routed> route) {
        this.reader = reader;
        this.routingKey = routingKey;
        this.route = route;
    }

    static InboundParser<OrderEvent> orderEvents() {
        return new InboundParser<>((topic, bytes) -> InboundReader.readOrderEvent(expectedEventType(topic), bytes),
            OrderEvent::orderId, event -> Routed.toOrders(new OrderInput.Event(event)));
    }

    static InboundParser<InventoryCommand> commands() {
        return new InboundParser<>((topic, bytes) -> InboundReader.readCommand(bytes),
            InventoryCommand::productId, command -> Routed.toStock(new StockInput.Command(command)));
    }

    static String expectedEventType(final String topic) {
        final String eventType = EVENT_TYPES.get(topic);
        if (eventType == null) {
            throw new IllegalArgumentException("not an order topic: " + topic);
        }
        return eventType;
    }

    @Override
    public void init(final ProcessorContext<String, Routed> context) {
        super.init(context);
        deadLetters = DeadLetterCounters.register(context);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata source = context().recordMetadata().orElseThrow();
        final Parsed<T> parsed = reader.apply(source.topic(), record.value());
        if (parsed instanceof Parsed.Valid<T> valid) {
            forward(record, valid.value());
        } else if (parsed instanceof Parsed.Invalid<T> invalid) {
            deadLetter(record, source, invalid);
            if (invalid.answer() != null) {
                forward(record, invalid.answer());
            }
        }
    }

    private void deadLetter(final Record<byte[], byte[]> record, final RecordMetadata source,
                            final Parsed.Invalid<T> invalid) {
        LOG.atWarn().setMessage("Dead-lettering an inbound record: {}").addArgument(invalid::detail)
            .addKeyValue("reason", invalid.reason()).addKeyValue("topic", source.topic())
            .addKeyValue("partition", source.partition()).addKeyValue("offset", source.offset()).log();
        deadLetters.record(invalid.reason());
        context().forward(new Record<String, Routed>(null, Routed.deadLetter(record.key(), record.value()),
            record.timestamp(), DeadLetters.headers(record.headers(), invalid.reason(), invalid.detail(),
                source.topic(), source.partition(), source.offset())));
    }

    @Override
    public void close() {
        deadLetters.unregister();
    }

    private void forward(final Record<byte[], byte[]> record, final T value) {
        context().forward(new Record<>(routingKey.apply(value), route.apply(value), record.timestamp(),
            record.headers()));
    }
}
