package io.inventory.topology;

import io.inventory.metrics.PublishedEventCounters;
import io.inventory.serde.EnvelopeSerde;
import io.inventory.serde.OutboundEvent;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The one topology of the service, built by a pure function. Two owners talk through topics:
 *
 * <pre>
 * order.created|updated|cancelled|fulfilled (any key) -> parse -> [invalid -> inventory.dlq]
 *     -> orders-by-id (repartition) + &lt;app&gt;-replies-by-order -> order-saga [orders, order-due stores]
 *     -> holds-by-product (repartition) + commands-by-product (repartition) -> stock-keeper [inventory store]
 *     -> &lt;app&gt;-replies-by-order (back to order-saga) and inventory.* events
 * inventory.commands (key productId) -> parse -> [invalid -> inventory.dlq] -> commands-by-product
 * </pre>
 *
 * Every internal topic has {@link TopologySettings#partitions()} partitions, so both tasks' inputs are
 * co-partitioned. See {@code topology-docs/} for the payloads and the semantics.
 */
public final class InventoryTopology {

    private static final Serde<String> KEYS = Serdes.String();
    private static final Serde<OutboundEvent> ENVELOPE = Serdes.serdeFrom(new EnvelopeSerde(), (topic, bytes) -> {
        throw new UnsupportedOperationException("outbound events are never read back");
    });

    private InventoryTopology() {
    }

    public static Topology build(final TopologySettings settings) {
        final StreamsBuilder builder = new StreamsBuilder(topologyConfig(settings));

        // An order event, once valid, goes to the task that owns its order, as do the product owners' replies.
        final KStream<String, OrderInput> orderEvents = inbound(builder, Topics.ORDER_EVENTS,
                InboundParser::orderEvents, "order-events")
            .flatMapValues(Routed::toOrders, Named.as("order-events-as-input"))
            .repartition(Topics.ORDERS_BY_ID.repartitioned(settings.partitions()));
        final Topic<String, OrderInput> repliesTopic = settings.repliesTopic();
        final KStream<String, OrderInput> replies = builder.stream(repliesTopic.name(),
            repliesTopic.consumed("replies-by-order-source"));

        // The order saga asks each product's owner to hold the order's lines, then to confirm or abort the holds
        // once all have answered; it publishes the failures itself.
        final KStream<String, Routed> orderSaga = orderEvents
            .merge(replies, Named.as("order-task-inputs"))
            .process(OrderSagaProcessor.supplier(settings), Named.as("order-saga"));
        publish(orderSaga, "order-saga");
        final KStream<String, StockInput> holds = orderSaga
            .flatMapValues(Routed::toStock, Named.as("order-saga-requests-as-input"))
            .repartition(Topics.HOLDS_BY_PRODUCT.repartitioned(settings.partitions()));

        // Item commands, once valid, go to the task that owns their product, as do the order saga's requests.
        final KStream<String, StockInput> commands = inbound(builder, List.of(Topics.INVENTORY_COMMANDS),
                InboundParser::commands, "inventory-commands")
            .flatMapValues(Routed::toStock, Named.as("inventory-commands-as-input"))
            .repartition(Topics.COMMANDS_BY_PRODUCT.repartitioned(settings.partitions()));

        // The stock keeper checks and holds one product's stock at a time, reserves, releases and ships it; it
        // publishes the reservations and answers the holds back to the order saga.
        final KStream<String, Routed> stockKeeper = holds
            .merge(commands, Named.as("stock-task-inputs"))
            .process(StockKeeperProcessor.supplier(settings), Named.as("stock-keeper"));
        publish(stockKeeper, "stock-keeper");
        stockKeeper.flatMapValues(Routed::toOrders, Named.as("stock-keeper-replies-as-input"))
            .to(repliesTopic.name(), repliesTopic.produced("send-replies"));

        return builder.build();
    }

    /**
     * Reads inbound records and parses them; the invalid ones also go to {@link Topics#INVENTORY_DLQ}. Whatever
     * the topics' declared keys, they are read as bytes: the contract allows any key, and a dead letter keeps the
     * original key and value byte for byte.
     */
    private static KStream<String, Routed> inbound(final StreamsBuilder builder,
                                                   final List<Topic<String, byte[]>> topics,
                                                   final ProcessorSupplier<byte[], byte[], String, Routed> parser,
                                                   final String name) {
        final KStream<String, Routed> parsed = builder
            .stream(Topic.names(topics), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName(name + "-source"))
            .process(parser, Named.as("parse-" + name));
        parsed.flatMap((key, routed) -> routed.deadLetter(), Named.as(name + "-dead-letters"))
            .to(Topics.INVENTORY_DLQ.name(), Topics.INVENTORY_DLQ.produced(name + "-to-dlq"));
        return parsed;
    }

    private static void publish(final KStream<String, Routed> outputs, final String name) {
        outputs.processValues(CountedEnvelopes::new, Named.as(name + "-events-as-envelopes"))
            .to(new OutboundTopics(), Produced.with(KEYS, ENVELOPE).withName(name + "-publish"));
    }

    /**
     * Takes the events to publish out of a task's outputs and counts them by type ({@link PublishedEventCounters}).
     * Every outbound event passes here, whichever task emitted it: the order saga emits the insufficient and failed
     * ones, the stock keeper the others.
     */
    private static final class CountedEnvelopes extends ContextualFixedKeyProcessor<String, Routed, OutboundEvent> {

        private PublishedEventCounters counters;

        @Override
        public void init(final FixedKeyProcessorContext<String, OutboundEvent> context) {
            super.init(context);
            counters = PublishedEventCounters.register(context);
        }

        @Override
        public void process(final FixedKeyRecord<String, Routed> record) {
            for (final OutboundEvent event : record.value().toPublish()) {
                counters.record(event.event());
                context().forward(record.withValue(event));
            }
        }

        @Override
        public void close() {
            counters.unregister();
        }
    }

    /** Makes the build refuse any store, changelog or repartition topic without an explicit name (KIP-1111). */
    private static TopologyConfig topologyConfig(final TopologySettings settings) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return new TopologyConfig(new StreamsConfig(props));
    }
}
