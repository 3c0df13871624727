package io.inventory.topology;

import io.inventory.domain.Emitted;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.OrderShare;
import io.inventory.domain.ProductState;
import io.inventory.domain.StockOutcome;
import io.inventory.domain.StockReply;
import io.inventory.domain.StockRequest;
import io.inventory.domain.StockRules;
import io.inventory.serde.JsonSerde;
import io.inventory.serde.OutboundEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stock task: owns the {@code inventory} store (productId to {@link ProductState}) and the {@code allocations}
 * store (each order's share of a product, {@link OrderShare}), and applies, one at a time, every item command and
 * every order request for the products of its partition. Because the check and the hold happen here, in one task
 * against its stores, two orders can never both take the last unit.
 */
final class StockKeeperProcessor extends ContextualProcessor<String, StockInput, String, Routed> {

    /**
     * Entries of each store one purge step reads. With a step every {@link TopologySettings#purgeInterval()} of
     * stream time (10 s), a sweep passes over 720,000 entries of each store an hour, per task.
     */
    static final int PURGE_STEP = 2_000;

    /** Where the purge is in {@code command-ids} and in {@code inventory}. */
    private final StoreSweep<Long> commandSweep = new StoreSweep<>(PURGE_STEP);
    private final StoreSweep<ProductState> productSweep = new StoreSweep<>(PURGE_STEP);

    private final TopologySettings settings;
    private KeyValueStore<String, ProductState> inventory;
    /**
     * Every command applied (or rejected) within the retention, by {@link #commandKey}: a redelivery is recognised
     * however many commands came in between, which the product's short list of recent ids cannot promise.
     */
    private KeyValueStore<String, Long> commandIds;
    /** Each order's share of each product, by {@link #pairKey}: read and written one pair per request. */
    private KeyValueStore<String, OrderShare> shares;

    private StockKeeperProcessor(final TopologySettings settings) {
        this.settings = settings;
    }

    static ProcessorSupplier<String, StockInput, String, Routed> supplier(final TopologySettings settings) {
        return OwnedStores.supplier(() -> new StockKeeperProcessor(settings),
            OwnedStores.persistent(Topics.INVENTORY_STORE, new JsonSerde<>(ProductState.class)),
            OwnedStores.persistent(Topics.COMMAND_IDS_STORE, Serdes.Long()),
            OwnedStores.persistent(Topics.ALLOCATIONS_STORE, new JsonSerde<>(OrderShare.class)));
    }

    @Override
    public void init(final ProcessorContext<String, Routed> context) {
        super.init(context);
        inventory = context.getStateStore(Topics.INVENTORY_STORE);
        commandIds = context.getStateStore(Topics.COMMAND_IDS_STORE);
        shares = context.getStateStore(Topics.ALLOCATIONS_STORE);
        context.schedule(settings.purgeInterval(), PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(final Record<String, StockInput> record) {
        final StockOutcome outcome = record.value().match(command -> apply(command, record.timestamp()),
            this::handle);
        for (final StockReply reply : outcome.replies()) {
            context().forward(record.withKey(reply.orderId()).withValue(Routed.toOrders(new OrderInput.Reply(reply))));
        }
        for (final Emitted emitted : outcome.events()) {
            context().forward(record.withKey(emitted.event().key())
                .withValue(Routed.toPublish(OutboundEvent.of(emitted, record.timestamp()))));
        }
    }

    /** Applies an item command once: a redelivered one was applied or rejected, with its events, already. */
    private StockOutcome apply(final InventoryCommand command, final long timestamp) {
        final String commandKey = commandKey(command);
        if (commandIds.get(commandKey) != null) {
            return StockOutcome.unchanged();
        }
        final StockOutcome outcome = StockRules.apply(inventory.get(command.productId()), command, timestamp);
        writeProduct(command.productId(), outcome);
        commandIds.put(commandKey, timestamp);
        return outcome;
    }

    /** Applies an order's request to the product and to the order's share of it. */
    private StockOutcome handle(final StockRequest request) {
        final String pairKey = pairKey(request.productId(), request.orderId());
        final OrderShare share = shares.get(pairKey);
        final StockOutcome outcome = StockRules.handle(inventory.get(request.productId()),
            share == null ? OrderShare.NONE : share, request);
        writeProduct(request.productId(), outcome);
        if (outcome.share() != null) {
            if (outcome.share().isEmpty()) {
                shares.delete(pairKey);
            } else {
                shares.put(pairKey, outcome.share());
            }
        }
        return outcome;
    }

    private void writeProduct(final String productId, final StockOutcome outcome) {
        if (outcome.state() != null) {
            inventory.put(productId, outcome.state().checkInvariant());
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

    /**
     * One step of the purge of deleted products and command ids older than the retention, by stream time. (One scan
     * of every entry at once held the stream thread, and every task it runs, for 4 s with a million products.)
     */
    private void purge(final long streamTime) {
        final long horizon = streamTime - settings.retention().toMillis();
        commandSweep.step(commandIds, appliedAt -> appliedAt < horizon);
        productSweep.step(inventory, state -> !state.exists() && state.reserved() == 0 && state.held() == 0
            && state.deletedAt() < horizon);
    }
}
