package io.inventory.topology;

import io.inventory.domain.Emitted;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.OrderStock;
import io.inventory.domain.ProductState;
import io.inventory.domain.StockOutcome;
import io.inventory.domain.StockReply;
import io.inventory.domain.StockRules;
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
 * The stock task: owns the {@code inventory} store (productId to {@link ProductState}) and the {@code allocations}
 * store (each order's share of a product, {@link OrderStock}), and applies, one at a time, every item command and
 * every order request for the products of its partition. Because the check and the hold happen here, in one task
 * against its stores, two orders can never both take the last unit.
 */
final class StockKeeperProcessor extends ContextualProcessor<String, StockInput, String, Routed> {

    private final TopologySettings settings;
    private KeyValueStore<String, ProductState> inventory;
    /**
     * Every command applied (or rejected) within the retention, by {@link #commandKey}: a redelivery is recognised
     * however many commands came in between, which the product's short list of recent ids cannot promise.
     */
    private KeyValueStore<String, Long> commandIds;
    /** Each order's share of each product, by {@link #pairKey}: read and written one pair per request. */
    private KeyValueStore<String, OrderStock> allocations;

    private StockKeeperProcessor(final TopologySettings settings) {
        this.settings = settings;
    }

    static ProcessorSupplier<String, StockInput, String, Routed> supplier(final TopologySettings settings) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, StockInput, String, Routed> get() {
                return new StockKeeperProcessor(settings);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.INVENTORY_STORE),
                        Serdes.String(), new JsonSerde<>(ProductState.class)),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.COMMAND_IDS_STORE),
                        Serdes.String(), Serdes.Long()),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Topics.ALLOCATIONS_STORE),
                        Serdes.String(), new JsonSerde<>(OrderStock.class)));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, Routed> context) {
        super.init(context);
        inventory = context.getStateStore(Topics.INVENTORY_STORE);
        commandIds = context.getStateStore(Topics.COMMAND_IDS_STORE);
        allocations = context.getStateStore(Topics.ALLOCATIONS_STORE);
        context.schedule(settings.purgeInterval(), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(final Record<String, StockInput> record) {
        final StockInput input = record.value();
        final String productId = input.command() != null ? input.command().productId() : input.request().productId();
        final String commandKey = input.command() == null ? null : commandKey(input.command());
        if (commandKey != null && commandIds.get(commandKey) != null) {
            // A redelivered command: it was applied or rejected once, with its events; nothing more to do.
            return;
        }
        final ProductState state = inventory.get(productId);
        final String pairKey = input.request() == null ? null : pairKey(productId, input.request().orderId());
        final StockOutcome outcome;
        if (input.command() != null) {
            outcome = StockRules.apply(state, input.command(), record.timestamp());
        } else {
            final OrderStock stock = allocations.get(pairKey);
            outcome = StockRules.handle(state, stock == null ? OrderStock.NONE : stock, input.request());
        }
        if (outcome.state() != null) {
            inventory.put(productId, outcome.state().checkInvariant());
        }
        if (outcome.stock() != null) {
            if (outcome.stock().isEmpty()) {
                allocations.delete(pairKey);
            } else {
                allocations.put(pairKey, outcome.stock());
            }
        }
        if (commandKey != null) {
            commandIds.put(commandKey, record.timestamp());
        }
        for (final StockReply reply : outcome.replies()) {
            context().forward(record.withKey(reply.orderId()).withValue(new Routed.ToOrders(OrderInput.of(reply))));
        }
        for (final Emitted emitted : outcome.events()) {
            context().forward(record.withKey(emitted.event().key())
                .withValue(new Routed.ToPublish(OutboundEvent.of(emitted, record.timestamp()))));
        }
    }

    /** The product and the command's id, unambiguously: a client reusing an id for another product is not a duplicate. */
    private static String commandKey(final InventoryCommand command) {
        return pairKey(command.productId(), command.commandId());
    }

    /** A product and a second id as one key, unambiguously (the product's length first). */
    static String pairKey(final String productId, final String id) {
        return productId.length() + ":" + productId + id;
    }

    /** Forgets deleted products and command ids older than the retention, by stream time. */
    private void purge(final long streamTime) {
        final long horizon = streamTime - settings.retention().toMillis();
        final List<String> oldCommands = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = commandIds.all()) {
            while (all.hasNext()) {
                final KeyValue<String, Long> entry = all.next();
                if (entry.value < horizon) {
                    oldCommands.add(entry.key);
                }
            }
        }
        oldCommands.forEach(commandIds::delete);
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, ProductState> all = inventory.all()) {
            while (all.hasNext()) {
                final KeyValue<String, ProductState> entry = all.next();
                final ProductState state = entry.value;
                if (!state.exists() && state.reserved() == 0 && state.held() == 0
                    && state.deletedAt() + settings.retention().toMillis() < streamTime) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(inventory::delete);
    }
}
