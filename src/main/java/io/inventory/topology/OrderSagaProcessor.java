package io.inventory.topology;

import io.inventory.domain.Emitted;
import io.inventory.domain.OrderOutcome;
import io.inventory.domain.OrderSaga;
import io.inventory.domain.OrderState;
import io.inventory.domain.StockRequest;
import io.inventory.serde.JsonSerde;
import io.inventory.serde.OutboundEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The order task: owns the {@code orders} store (orderId to {@link OrderState}) and runs {@link OrderSaga} on
 * every order event and stock reply for the orders of its partition. Requests go out keyed by productId, events
 * keyed by productId; the state change and its outputs commit in one transaction under exactly-once.
 */
final class OrderSagaProcessor extends ContextualProcessor<String, OrderInput, String, Routed> {

    private final TopologySettings settings;
    private KeyValueStore<String, OrderState> orders;

    private OrderSagaProcessor(final TopologySettings settings) {
        this.settings = settings;
    }

    static ProcessorSupplier<String, OrderInput, String, Routed> supplier(final TopologySettings settings) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, OrderInput, String, Routed> get() {
                return new OrderSagaProcessor(settings);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.ORDERS_STORE),
                    Serdes.String(), new JsonSerde<>(OrderState.class)));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, Routed> context) {
        super.init(context);
        orders = context.getStateStore(Topics.ORDERS_STORE);
        context.schedule(settings.purgeInterval(), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(final Record<String, OrderInput> record) {
        final OrderInput input = record.value();
        final String orderId = input.event() != null ? input.event().orderId() : input.reply().orderId();
        final OrderState state = orders.get(orderId);
        final OrderOutcome outcome = input.event() != null
            ? OrderSaga.onEvent(state, input.event(), record.timestamp())
            : OrderSaga.onReply(state, input.reply(), record.timestamp());
        if (outcome.state() != null) {
            orders.put(orderId, outcome.state());
        }
        for (final StockRequest request : outcome.requests()) {
            context().forward(record.withKey(request.productId()).withValue(new Routed.ToStock(StockInput.of(request))));
        }
        for (final Emitted emitted : outcome.events()) {
            context().forward(record.withKey(emitted.event().aggregateId())
                .withValue(new Routed.ToPublish(OutboundEvent.of(emitted, record.timestamp()))));
        }
    }

    /** Forgets settled orders (failed or cancelled, holding nothing) older than the retention, by stream time. */
    private void purge(final long streamTime) {
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, OrderState> all = orders.all()) {
            while (all.hasNext()) {
                final KeyValue<String, OrderState> entry = all.next();
                if (entry.value.isSettled() && entry.value.updatedAt() + settings.retention().toMillis() < streamTime) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(orders::delete);
    }
}
