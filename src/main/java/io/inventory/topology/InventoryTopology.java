package io.inventory.topology;

import io.inventory.metrics.PublishedEventCounters;
import io.inventory.serde.EnvelopeSerde;
import io.inventory.serde.JsonSerde;
import io.inventory.serde.OutboundEvent;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

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
    private static final Serde<OrderInput> ORDER_INPUT = new JsonSerde<>(OrderInput.class);
    private static final Serde<StockInput> STOCK_INPUT = new JsonSerde<>(StockInput.class);
    private static final Serde<OutboundEvent> ENVELOPE = Serdes.serdeFrom(new EnvelopeSerde(), (topic, bytes) -> {
        throw new UnsupportedOperationException("outbound events are never read back");
    });

    private InventoryTopology() {
    }

    public static Topology build(final TopologySettings settings) {
        final StreamsBuilder builder = new StreamsBuilder(topologyConfig(settings));

        final KStream<String, OrderInput> orderEvents = parse(builder
                .stream(Topics.ORDER_EVENTS,
                    Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("order-events-source"))
                .process(InboundParser::orderEvents, Named.as("parse-order-events")), "order-events")
            .mapValues(routed -> ((Routed.ToOrders) routed).input(), Named.as("order-events-as-input"))
            .repartition(Repartitioned.<String, OrderInput>as(Topics.ORDERS_BY_ID)
                .withKeySerde(KEYS).withValueSerde(ORDER_INPUT).withNumberOfPartitions(settings.partitions()));

        final KStream<String, OrderInput> replies = builder.stream(settings.repliesTopic(),
            Consumed.with(KEYS, ORDER_INPUT).withName("replies-by-order-source"));

        final Map<String, KStream<String, Routed>> orderOutputs = orderEvents
            .merge(replies, Named.as("order-task-inputs"))
            .process(OrderSagaProcessor.supplier(settings), Named.as("order-saga"))
            .split(Named.as("order-saga-split"))
            .branch((key, routed) -> routed instanceof Routed.ToStock, Branched.as("-requests"))
            .defaultBranch(Branched.as("-events"));
        publish(orderOutputs.get("order-saga-split-events"), "order-saga");
        final KStream<String, StockInput> holds = orderOutputs.get("order-saga-split-requests")
            .mapValues(routed -> ((Routed.ToStock) routed).input(), Named.as("order-saga-requests-as-input"))
            .repartition(Repartitioned.<String, StockInput>as(Topics.HOLDS_BY_PRODUCT)
                .withKeySerde(KEYS).withValueSerde(STOCK_INPUT).withNumberOfPartitions(settings.partitions()));

        final KStream<String, StockInput> commands = parse(builder
                .stream(Topics.INVENTORY_COMMANDS,
                    Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("inventory-commands-source"))
                .process(InboundParser::commands, Named.as("parse-inventory-commands")), "inventory-commands")
            .mapValues(routed -> ((Routed.ToStock) routed).input(), Named.as("inventory-commands-as-input"))
            .repartition(Repartitioned.<String, StockInput>as(Topics.COMMANDS_BY_PRODUCT)
                .withKeySerde(KEYS).withValueSerde(STOCK_INPUT).withNumberOfPartitions(settings.partitions()));

        final Map<String, KStream<String, Routed>> stockOutputs = holds
            .merge(commands, Named.as("stock-task-inputs"))
            .process(StockKeeperProcessor.supplier(settings), Named.as("stock-keeper"))
            .split(Named.as("stock-keeper-split"))
            .branch((key, routed) -> routed instanceof Routed.ToOrders, Branched.as("-replies"))
            .defaultBranch(Branched.as("-events"));
        publish(stockOutputs.get("stock-keeper-split-events"), "stock-keeper");
        stockOutputs.get("stock-keeper-split-replies")
            .mapValues(routed -> ((Routed.ToOrders) routed).input(), Named.as("stock-keeper-replies-as-input"))
            .to(settings.repliesTopic(), Produced.with(KEYS, ORDER_INPUT).withName("send-replies"));

        return builder.build();
    }

    /** Sends dead letters to {@link Topics#INVENTORY_DLQ} and returns the stream of the others. */
    private static KStream<String, Routed> parse(final KStream<String, Routed> parsed, final String name) {
        final Map<String, KStream<String, Routed>> branches = parsed
            .split(Named.as(name + "-split"))
            .branch((key, routed) -> routed instanceof Routed.ToDeadLetter, Branched.as("-invalid"))
            .defaultBranch(Branched.as("-valid"));
        branches.get(name + "-split-invalid")
            .map((key, routed) -> KeyValue.pair(((Routed.ToDeadLetter) routed).key(),
                ((Routed.ToDeadLetter) routed).value()), Named.as(name + "-dead-letters"))
            .to(Topics.INVENTORY_DLQ, Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName(name + "-to-dlq"));
        return branches.get(name + "-split-valid");
    }

    private static void publish(final KStream<String, Routed> events, final String name) {
        events.processValues(CountedEnvelopes::new, Named.as(name + "-events-as-envelopes"))
            .to(new OutboundTopics(), Produced.with(KEYS, ENVELOPE).withName(name + "-publish"));
    }

    /**
     * Unwraps the events to publish and counts them by type ({@link PublishedEventCounters}). Every outbound event
     * passes here, whichever task emitted it: the order saga emits the insufficient and failed ones, the stock
     * keeper the others.
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
            final OutboundEvent event = ((Routed.ToPublish) record.value()).event();
            counters.record(event.event());
            context().forward(record.withValue(event));
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
