package io.inventory.topology;

import io.inventory.domain.Deadlines;
import io.inventory.domain.Emitted;
import io.inventory.domain.OrderOutcome;
import io.inventory.domain.OrderSaga;
import io.inventory.domain.OrderState;
import io.inventory.domain.PendingStep;
import io.inventory.domain.StockReply;
import io.inventory.domain.StockRequest;
import io.inventory.metrics.LifecycleCounters;
import io.inventory.serde.JsonSerde;
import io.inventory.serde.OutboundEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The order task: owns the {@code orders} store (orderId to {@link OrderState}) and runs {@link OrderSaga} on
 * every order event and stock reply for the orders of its partition. Requests go out keyed by productId, events
 * keyed by productId; the state change and its outputs commit in one transaction under exactly-once.
 *
 * <p>It also keeps the order's clocks ({@link Deadlines}): the {@code order-due} store indexes every order that
 * waits for something on the wall clock (an expiry, a decision timeout, the purge of a settled order) by
 * {@link #dueKey}, and a wall-clock punctuator reads it from the start up to now, so its cost is the number of
 * entries due, not the number of orders. The index is derived from the
 * order's state on every write ({@link Deadlines#next}); an entry that no longer matches is simply dropped.
 * Punctuation output commits with the task's transaction like any other.
 */
final class OrderSagaProcessor extends ContextualProcessor<String, OrderInput, String, Routed> {

    /**
     * Orders handled per punctuation at most, so a backlog (after downtime) cannot hold the thread for long; the
     * rest is due at the next tick. Well above what settles per second at the benchmarks' rates.
     */
    static final int MAX_DUE_PER_TICK = 20_000;

    /**
     * A decision's answers may be late rather than lost (a stock task behind, restoring): it is only abandoned once
     * the product's partition has answered a hold sent after it, or after this many decision timeouts in any case.
     */
    static final int LATE_NOT_LOST_FACTOR = 10;
    private static final long RECHECK_MILLIS = 5_000;

    private final TopologySettings settings;
    /**
     * Per stock partition (of {@code holds-by-product}), the latest start of a step whose hold there was answered:
     * that partition's task has processed every hold this task sent it before then (one producer, one partition,
     * in order). In memory: after a restart or a rebalance, evidence builds up again from the next replies.
     */
    private final Map<Integer, Long> answeredUpTo = new HashMap<>();
    /** Orders whose due decision had no evidence of a lost answer yet, and when to look again. */
    private final Map<String, Long> recheckAt = new HashMap<>();
    private KeyValueStore<String, OrderState> orders;
    private KeyValueStore<String, String> due;
    private LifecycleCounters counters;

    private OrderSagaProcessor(final TopologySettings settings) {
        this.settings = settings;
    }

    static ProcessorSupplier<String, OrderInput, String, Routed> supplier(final TopologySettings settings) {
        return OwnedStores.supplier(() -> new OrderSagaProcessor(settings),
            OwnedStores.persistent(Topics.ORDERS_STORE, new JsonSerde<>(OrderState.class)),
            OwnedStores.persistent(Topics.ORDER_DUE_STORE, Serdes.String()));
    }

    @Override
    public void init(final ProcessorContext<String, Routed> context) {
        super.init(context);
        orders = context.getStateStore(Topics.ORDERS_STORE);
        due = context.getStateStore(Topics.ORDER_DUE_STORE);
        counters = LifecycleCounters.register(context);
        context.schedule(TopologySettings.CLOCK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(final Record<String, OrderInput> record) {
        final long wallNow = context().currentSystemTimeMs();
        final OrderState state = orders.get(record.value().orderId());
        final OrderOutcome outcome = record.value().match(
            event -> OrderSaga.onEvent(state, event, record.timestamp(), wallNow),
            reply -> {
                noteAnswered(state, reply);
                return OrderSaga.onReply(state, reply, record.timestamp(), wallNow);
            });
        apply(state, outcome, record.timestamp());
    }

    /** A reply to the pending step is evidence that its product's partition has seen every earlier hold. */
    private void noteAnswered(final OrderState state, final StockReply reply) {
        if (state != null && state.pending() != null && reply.step() == state.pending().step()) {
            answeredUpTo.merge(stockPartition(reply.productId()), state.pending().startedAt(), Math::max);
        }
    }

    @Override
    public void close() {
        counters.unregister();
    }

    /** Writes the outcome and forwards its outputs as records of {@code timestamp}. */
    private void apply(final OrderState before, final OrderOutcome outcome, final long timestamp) {
        if (outcome.state() != null) {
            orders.put(outcome.state().orderId(), outcome.state());
            reindex(before, outcome.state());
        }
        for (final StockRequest request : outcome.requests()) {
            context().forward(new Record<>(request.productId(), Routed.toStock(new StockInput.Request(request)),
                timestamp));
        }
        for (final Emitted emitted : outcome.events()) {
            context().forward(new Record<>(emitted.event().key(),
                Routed.toPublish(OutboundEvent.of(emitted, timestamp)), timestamp));
        }
    }

    /** Moves the order's entry in the due index from where its old state put it to where its new state does. */
    private void reindex(final OrderState before, final OrderState after) {
        final Optional<String> oldKey = settings.deadlines().next(before).map(d -> dueKey(d.at(), before.orderId()));
        final Optional<String> newKey = settings.deadlines().next(after).map(d -> dueKey(d.at(), after.orderId()));
        if (oldKey.equals(newKey)) {
            return;
        }
        recheckAt.remove(after.orderId());
        oldKey.ifPresent(due::delete);
        newKey.ifPresent(key -> due.put(key, after.orderId()));
    }

    /** Expires reservations, abandons decisions and forgets settled orders that are due by the wall clock. */
    private void tick(final long wallNow) {
        final List<KeyValue<String, String>> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> due = this.due.range(dueKey(0, ""), dueKey(wallNow, "\uffff"))) {
            while (due.hasNext() && entries.size() < MAX_DUE_PER_TICK) {
                entries.add(due.next());
            }
        }
        for (final KeyValue<String, String> entry : entries) {
            if (recheckAt.getOrDefault(entry.value, Long.MIN_VALUE) > wallNow) {
                continue;
            }
            final OrderState state = orders.get(entry.value);
            final Optional<Deadlines.Due> next = settings.deadlines().next(state);
            if (next.isEmpty() || !dueKey(next.get().at(), entry.value).equals(entry.key)) {
                due.delete(entry.key);
                continue;
            }
            if (next.get().kind() == Deadlines.Due.Kind.DECISION && !lost(state.pending(), wallNow)) {
                recheckAt.put(entry.value, wallNow + RECHECK_MILLIS);
                continue;
            }
            switch (next.get().kind()) {
                case DECISION -> {
                    counters.timedOut();
                    // The records are stamped with the wall clock: the product owners' events (an expiry's
                    // releases) carry their request's timestamp, and should say when it happened.
                    apply(state, OrderSaga.abandon(state, wallNow), wallNow);
                }
                case EXPIRY -> {
                    counters.expired();
                    apply(state, OrderSaga.expire(state, wallNow), wallNow);
                }
                case PURGE -> {
                    orders.delete(entry.value);
                    due.delete(entry.key);
                }
            }
        }
    }

    /**
     * True when an answer of the step is lost rather than late: every product that has not answered is on a stock
     * partition that has answered a hold sent after this step's, or the step is {@link #LATE_NOT_LOST_FACTOR}
     * decision timeouts old.
     */
    private boolean lost(final PendingStep pending, final long wallNow) {
        if (wallNow >= pending.startedAt() + LATE_NOT_LOST_FACTOR * settings.deadlines().decisionTimeout().toMillis()) {
            return true;
        }
        for (final String product : pending.increases().keySet()) {
            if (!pending.replies().containsKey(product)
                && answeredUpTo.getOrDefault(stockPartition(product), Long.MIN_VALUE) <= pending.startedAt()) {
                return false;
            }
        }
        return true;
    }

    /** The partition of {@code holds-by-product} a product's requests go to: the producer's default partitioner. */
    private int stockPartition(final String productId) {
        return Utils.toPositive(Utils.murmur2(productId.getBytes(StandardCharsets.UTF_8))) % settings.partitions();
    }

    /**
     * The index key of an order due at {@code at}: the time zero-padded, so that keys sort by time as strings, and
     * the orderId, so that orders due at the same millisecond do not collide.
     */
    static String dueKey(final long at, final String orderId) {
        return String.format("%019d|%s", Math.max(0, at), orderId);
    }
}
