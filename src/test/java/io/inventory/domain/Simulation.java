package io.inventory.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One deterministic run of the order and stock tasks ({@link OrderSaga}, {@link StockRules}) over simulated Kafka
 * partitions, without Kafka. Everything that varies comes from one seed: the partition counts, which partition
 * each order and product lands on, the client's events and the schedule.
 *
 * <p>The world, as the topology has it: the client writes order events on four topics (created, updated,
 * cancelled, fulfilled), which a repartition moves into {@code orders-by-id}, one FIFO per order partition; nothing
 * orders a record of one topic behind a record of another. Item commands go to the product's stock partition. The
 * order task of partition {@code i} reads {@code orders-by-id[i]} and {@code replies[i]}; the stock task of
 * partition {@code j} reads {@code commands[j]} and {@code requests[j]}. Requests are keyed by product, replies by
 * order, outbound events go to one outbound log.
 *
 * <p>Each task has a working state, a committed state and, per input, a position and a committed offset. A commit
 * keeps state, outputs and offsets together. Under {@link Mode#EXACTLY_ONCE} outputs are buffered until the commit
 * (a {@code read_committed} consumer sees nothing of an aborted transaction) and a crash throws away the working
 * state, the buffered outputs and the positions. Under {@link Mode#AT_LEAST_ONCE} outputs are sent at once, so a
 * crash keeps them while state and positions go back to the commit, and a processed record is now and then
 * processed again.
 *
 * <p>The glue between records and the pure functions is the processors' ({@code OrderSagaProcessor},
 * {@code StockKeeperProcessor}), written again here without Kafka: the due index and the wall-clock tick, the
 * command-id store, the invariant check before a product is written, a pair deleted when it is empty.
 */
final class Simulation {

    enum Mode { EXACTLY_ONCE, AT_LEAST_ONCE }

    /** Everything a run depends on; {@link #replay()} is the command line that runs exactly this case. */
    record Params(long seed, Mode mode, int orderPartitions, int stockPartitions, int products, int orders, int steps,
                  long ttlMs, long timeoutMs) {

        /** The parameters a seed stands for, each overridable by a {@code sim.*} system property. */
        static Params of(final long seed) {
            final Random random = new Random(seed ^ 0x5DEECE66DL);
            final Mode mode = random.nextInt(3) == 0 ? Mode.AT_LEAST_ONCE : Mode.EXACTLY_ONCE;
            final int orderPartitions = 2 + random.nextInt(3);
            final int stockPartitions = 2 + random.nextInt(3);
            final int products = 2 + random.nextInt(4);
            final int orders = 2 + random.nextInt(5);
            final int steps = 40 + random.nextInt(400);
            final long ttl = random.nextBoolean() ? 0 : 40 + random.nextInt(400);
            final long timeout = 15 + random.nextInt(150);
            return new Params(seed,
                Mode.valueOf(System.getProperty("sim.mode", mode.name())),
                Integer.getInteger("sim.orderPartitions", orderPartitions),
                Integer.getInteger("sim.stockPartitions", stockPartitions),
                Integer.getInteger("sim.products", products),
                Integer.getInteger("sim.orders", orders),
                Integer.getInteger("sim.steps", steps),
                Long.getLong("sim.ttl", ttl),
                Long.getLong("sim.timeout", timeout));
        }

        Params withSteps(final int newSteps) {
            return new Params(seed, mode, orderPartitions, stockPartitions, products, orders, newSteps, ttlMs,
                timeoutMs);
        }

        Params withOrders(final int newOrders) {
            return new Params(seed, mode, orderPartitions, stockPartitions, products, newOrders, steps, ttlMs,
                timeoutMs);
        }

        Params withProducts(final int newProducts) {
            return new Params(seed, mode, orderPartitions, stockPartitions, newProducts, orders, steps, ttlMs,
                timeoutMs);
        }

        Deadlines deadlines() {
            // Retention and purge are not simulated: settled orders are kept for the run (their purge is never due).
            return new Deadlines(ttlMs == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ttlMs)),
                Duration.ofMillis(timeoutMs), Duration.ofDays(3650));
        }

        String replay() {
            return "-Dsim.seed=" + seed + " -Dsim.mode=" + mode + " -Dsim.orderPartitions=" + orderPartitions
                + " -Dsim.stockPartitions=" + stockPartitions + " -Dsim.products=" + products + " -Dsim.orders="
                + orders + " -Dsim.steps=" + steps + " -Dsim.ttl=" + ttlMs + " -Dsim.timeout=" + timeoutMs;
        }
    }

    /** A record in a partition. {@code dropped}: a hold whose processing failed; it is skipped on every read. */
    static final class Rec {
        final Object value;
        final long timestamp;
        boolean dropped;

        Rec(final Object value, final long timestamp) {
            this.value = value;
            this.timestamp = timestamp;
        }
    }

    /** One partition of one topic. */
    static final class Log {
        final String name;
        final List<Rec> records = new ArrayList<>();

        Log(final String name) {
            this.name = name;
        }
    }

    /** An outbound event as a {@code read_committed} consumer sees it, in the order it became visible. */
    record Published(Emitted emitted, long timestamp, String task) {

        /** What the outbound eventId is computed from: a redelivery that yields the same event has the same id. */
        String identity() {
            final InventoryEvent event = emitted.event();
            return emitted.cause().eventId() + '|' + event.kind() + '|' + event.key() + '|' + event.orderRef();
        }
    }

    /** A failure of the oracle, or of the code under test. */
    static final class Failure extends AssertionError {
        private static final long serialVersionUID = 1L;

        Failure(final String message) {
            super(message);
        }

        Failure(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    private final Params params;
    private final Random random;
    private final Deadlines deadlines;
    private final List<String> trace;
    final Map<String, Integer> orderPartition = new HashMap<>();
    final Map<String, Integer> productPartition = new HashMap<>();
    final List<String> productIds = new ArrayList<>();
    final List<String> orderIds = new ArrayList<>();
    /** Client topics for order events: created, updated, cancelled, fulfilled. */
    private final List<List<OrderEvent>> clientTopics = new ArrayList<>();
    private final Log[] ordersById;
    private final Log[] replies;
    private final Log[] commands;
    private final Log[] requests;
    final List<OrderTask> orderTasks = new ArrayList<>();
    final List<StockTask> stockTasks = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    final List<Published> published = new ArrayList<>();
    /**
     * At-least-once: indexes in {@link #published} of events whose task crashed before it committed them. Consumers
     * saw them; the stores never reflect them (the replay after the crash may decide otherwise).
     */
    final Set<Integer> ghosts = new HashSet<>();
    /** Every distinct order event and command the client sent, by id. */
    final Map<String, OrderEvent> sentEvents = new LinkedHashMap<>();
    final Map<String, InventoryCommand> sentCommands = new LinkedHashMap<>();
    private final List<OrderEvent> sentEventList = new ArrayList<>();
    private final List<InventoryCommand> sentCommandList = new ArrayList<>();
    private final Map<String, Map<String, Long>> lastLines = new HashMap<>();
    private long clock = 1_000_000L;
    private int nextId;
    private int step;
    private boolean chaos = true;
    final Map<String, Integer> counters = new TreeMap<>();

    Simulation(final Params params, final boolean tracing) {
        this.params = params;
        this.random = new Random(params.seed());
        this.deadlines = params.deadlines();
        this.trace = tracing ? new ArrayList<>() : null;
        for (int i = 0; i < params.products(); i++) {
            productIds.add("p" + i);
        }
        for (final String product : productIds) {
            productPartition.put(product, random.nextInt(params.stockPartitions()));
        }
        productPartition.put("ghost", random.nextInt(params.stockPartitions()));
        for (int i = 0; i < params.orders(); i++) {
            orderIds.add("o" + i);
            orderPartition.put("o" + i, random.nextInt(params.orderPartitions()));
        }
        for (int i = 0; i < 4; i++) {
            clientTopics.add(new ArrayList<>());
        }
        ordersById = logs("orders-by-id", params.orderPartitions());
        replies = logs("replies", params.orderPartitions());
        commands = logs("commands", params.stockPartitions());
        requests = logs("requests", params.stockPartitions());
        for (int i = 0; i < params.orderPartitions(); i++) {
            final OrderTask task = new OrderTask(i);
            orderTasks.add(task);
            tasks.add(task);
        }
        for (int i = 0; i < params.stockPartitions(); i++) {
            final StockTask task = new StockTask(i);
            stockTasks.add(task);
            tasks.add(task);
        }
    }

    private static Log[] logs(final String name, final int partitions) {
        final Log[] logs = new Log[partitions];
        for (int i = 0; i < partitions; i++) {
            logs[i] = new Log(name + "-" + i);
        }
        return logs;
    }

    /** Per order, its distinct events in {@code orders-by-id} order: the order its task applied them in. */
    Map<String, List<OrderEvent>> appliedOrderEvents() {
        final Map<String, List<OrderEvent>> applied = new TreeMap<>();
        final Set<String> seen = new HashSet<>();
        for (final Log log : ordersById) {
            for (final Rec rec : log.records) {
                final OrderEvent event = (OrderEvent) rec.value;
                if (seen.add(event.eventId())) {
                    applied.computeIfAbsent(event.orderId(), o -> new ArrayList<>()).add(event);
                }
            }
        }
        return applied;
    }

    Params params() {
        return params;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    List<String> trace() {
        return trace == null ? List.of() : trace;
    }

    int step() {
        return step;
    }

    private void note(final Supplier<String> what) {
        if (trace != null) {
            trace.add("[" + step + " t=" + clock + "] " + what.get());
        }
    }

    private void count(final String what) {
        count(what, 1);
    }

    private void count(final String what, final int n) {
        if (n > 0) {
            counters.merge(what, n, Integer::sum);
        }
    }

    /** Runs the chaotic phase, then lets the system settle; the checks run after every step. */
    void run() {
        for (final String product : productIds) {
            if (random.nextInt(6) != 0) {
                final String commandId = id();
                sendCommand(new InventoryCommand.CreateItem(commandId, product, "t", "b", random.nextInt(9),
                    BigDecimal.ONE, "EUR", Cause.of(commandId, null, "admin")));
            }
        }
        for (step = 0; step < params.steps(); step++) {
            chaosStep();
            checkStock();
        }
        settle();
    }

    // ------------------------------------------------------------------------------------------------ the client

    private boolean oneIn(final int n) {
        return random.nextInt(n) == 0;
    }

    private String id() {
        return "e" + (++nextId);
    }

    private Map<String, Long> lines(final int max) {
        final Map<String, Long> lines = new TreeMap<>();
        final int count = 1 + random.nextInt(max);
        for (int i = 0; i < count; i++) {
            final String product = random.nextInt(25) == 0 ? "ghost" : productIds.get(random.nextInt(productIds.size()));
            lines.merge(product, 1L + random.nextInt(4), Long::sum);
        }
        return lines;
    }

    private List<String> invalidLines(final Map<String, Long> lines) {
        if (random.nextInt(30) != 0) {
            return List.of();
        }
        final String product = productIds.get(random.nextInt(productIds.size()));
        return lines.containsKey(product) ? List.of() : List.of(product);
    }

    private void clientOrderEvent() {
        final int kind = random.nextInt(100);
        if (kind >= 92 && !sentEventList.isEmpty()) {
            final OrderEvent again = sentEventList.get(random.nextInt(sentEventList.size()));
            note(() -> "client duplicate " + again);
            count("client-duplicate");
            enqueueClient(again);
            return;
        }
        final String order = orderIds.get(random.nextInt(orderIds.size()));
        final String eventId = id();
        final String user = "u-" + order;
        final Cause cause = Cause.of(eventId, null, user);
        final OrderEvent event;
        if (kind < 30) {
            final Map<String, Long> lines = lines(3);
            event = new OrderEvent.Placed(eventId, order, user, lines, invalidLines(lines), cause);
            lastLines.putIfAbsent(order, lines);
        } else if (kind < 52) {
            final Map<String, Long> lines = lines(3);
            event = new OrderEvent.Changed(eventId, order, user, lines, invalidLines(lines), cause);
            lastLines.put(order, lines);
        } else if (kind < 68) {
            event = new OrderEvent.Cancelled(eventId, order, user, "because", cause);
        } else {
            final Map<String, Long> lines = new TreeMap<>();
            final Map<String, Long> last = lastLines.getOrDefault(order, Map.of());
            if (random.nextBoolean() && !last.isEmpty()) {
                for (final Map.Entry<String, Long> line : last.entrySet()) {
                    if (random.nextBoolean()) {
                        lines.put(line.getKey(), 1L + random.nextInt((int) Math.max(1, line.getValue())));
                    }
                }
                if (random.nextInt(8) == 0) {
                    lines.merge(productIds.get(random.nextInt(productIds.size())), 1L, Long::sum);
                }
            }
            event = new OrderEvent.Fulfilled(eventId, order, random.nextBoolean() ? user : null, lines, cause);
        }
        sentEvents.put(eventId, event);
        sentEventList.add(event);
        note(() -> "client " + event);
        enqueueClient(event);
    }

    private void enqueueClient(final OrderEvent event) {
        final int topic = event instanceof OrderEvent.Placed ? 0
            : event instanceof OrderEvent.Changed ? 1
            : event instanceof OrderEvent.Cancelled ? 2 : 3;
        clientTopics.get(topic).add(event);
    }

    private void clientCommand() {
        final int kind = random.nextInt(100);
        if (kind >= 90 && !sentCommandList.isEmpty()) {
            final InventoryCommand again = sentCommandList.get(random.nextInt(sentCommandList.size()));
            note(() -> "client duplicate " + again);
            count("command-duplicate");
            append(commands[productPartition.get(again.productId())], again, clock);
            return;
        }
        final String product = random.nextInt(30) == 0 ? "ghost" : productIds.get(random.nextInt(productIds.size()));
        final String commandId = id();
        final Cause cause = Cause.of(commandId, null, "admin");
        final InventoryCommand command;
        if (kind < 8) {
            command = new InventoryCommand.CreateItem(commandId, product, "t", "b", oneIn(20) ? -1 : random.nextInt(9),
                oneIn(20) ? BigDecimal.valueOf(-1) : oneIn(5) ? null : BigDecimal.ONE, "EUR", cause);
        } else if (kind < 70) {
            command = new InventoryCommand.AdjustStock(commandId, product,
                oneIn(50) ? Limits.MAX_QUANTITY + 1 : random.nextInt(10) - 3, cause);
        } else if (kind < 85) {
            command = new InventoryCommand.UpdateItem(commandId, product, oneIn(2) ? "t2" : null,
                oneIn(2) ? "b2" : null, oneIn(4) ? null : oneIn(20) ? -1L : (long) random.nextInt(12),
                oneIn(3) ? (oneIn(5) ? BigDecimal.valueOf(-2) : BigDecimal.TEN) : null, oneIn(3) ? "USD" : null,
                cause);
        } else {
            command = new InventoryCommand.DeleteItem(commandId, product, cause);
        }
        sendCommand(command);
    }

    private void sendCommand(final InventoryCommand command) {
        sentCommands.put(command.commandId(), command);
        sentCommandList.add(command);
        note(() -> "client " + command);
        append(commands[productPartition.get(command.productId())], command, clock);
    }

    private static void append(final Log log, final Object value, final long timestamp) {
        log.records.add(new Rec(value, timestamp));
    }

    /** The repartition of one client topic: its oldest record moves to {@code orders-by-id}. */
    private boolean repartition(final int topic) {
        final List<OrderEvent> queue = clientTopics.get(topic);
        if (queue.isEmpty()) {
            return false;
        }
        final OrderEvent event = queue.remove(0);
        append(ordersById[orderPartition.get(event.orderId())], event, clock);
        return true;
    }

    // ---------------------------------------------------------------------------------------------- the schedule

    private void chaosStep() {
        if (params.mode() == Mode.AT_LEAST_ONCE && oneIn(30)) {
            tasks.get(random.nextInt(tasks.size())).redeliver();
            return;
        }
        final int action = random.nextInt(1000);
        if (action < 170) {
            clientOrderEvent();
        } else if (action < 230) {
            clientCommand();
        } else if (action < 380) {
            repartition(random.nextInt(4));
        } else if (action < 780) {
            final Task task = tasks.get(random.nextInt(tasks.size()));
            if (task.pausedUntil <= step) {
                task.processOne();
            }
        } else if (action < 860) {
            final Task task = tasks.get(random.nextInt(tasks.size()));
            task.commit();
        } else if (action < 875) {
            final Task task = tasks.get(random.nextInt(tasks.size()));
            note(() -> "crash " + task.name);
            count("crash");
            task.crash();
        } else if (action < 940) {
            clock += 1 + random.nextInt(random.nextInt(8) == 0 ? 120 : 20);
        } else if (action < 975) {
            final OrderTask task = orderTasks.get(random.nextInt(orderTasks.size()));
            task.tick();
            task.probeClocks(orderIds.get(random.nextInt(orderIds.size())));
        } else if (action < 985) {
            final Task task = tasks.get(random.nextInt(tasks.size()));
            task.pausedUntil = step + 10 + random.nextInt(60);
            note(() -> "pause " + task.name + " until step " + task.pausedUntil);
        } else if (params.mode() == Mode.AT_LEAST_ONCE) {
            tasks.get(random.nextInt(tasks.size())).redeliver();
        }
    }

    /**
     * No more client events, crashes, drops or redeliveries: every queue is drained and committed, and the wall
     * clock is moved past every deadline, until nothing is left to do.
     */
    private void settle() {
        chaos = false;
        note(() -> "settle");
        for (int round = 0; round < 1_000_000; round++) {
            boolean moved = false;
            for (int topic = 0; topic < 4; topic++) {
                while (repartition(topic)) {
                    moved = true;
                }
            }
            final List<Task> busy = new ArrayList<>();
            for (final Task task : tasks) {
                if (task.hasInput()) {
                    busy.add(task);
                }
            }
            if (!busy.isEmpty()) {
                final Task task = busy.get(random.nextInt(busy.size()));
                final int batch = 1 + random.nextInt(4);
                for (int i = 0; i < batch && task.hasInput(); i++) {
                    task.processOne();
                    checkStock();
                }
                task.commit();
                continue;
            }
            for (final Task task : tasks) {
                moved |= task.commit();
            }
            if (moved) {
                continue;
            }
            long nextDue = Long.MAX_VALUE;
            for (final OrderTask task : orderTasks) {
                if (!task.due.isEmpty()) {
                    nextDue = Math.min(nextDue, Long.parseLong(task.due.firstKey().substring(0, 19)));
                }
            }
            if (nextDue == Long.MAX_VALUE) {
                return;
            }
            clock = Math.max(clock, nextDue) + 1;
            for (final OrderTask task : orderTasks) {
                task.tick();
                task.commit();
            }
            checkStock();
        }
        throw new Failure("the system did not settle: something waits for ever");
    }

    // -------------------------------------------------------------------------------------------------- the tasks

    private record Output(Log target, Object value, long timestamp) {
    }

    abstract class Task {
        final String name;
        final Log[] inputs;
        final int[] position;
        final int[] committed;
        final List<Output> buffered = new ArrayList<>();
        /** At-least-once: indexes in {@link #published} of this task's events since its last commit. */
        final List<Integer> publishedSinceCommit = new ArrayList<>();
        int pausedUntil;

        Task(final String name, final Log... inputs) {
            this.name = name;
            this.inputs = inputs;
            this.position = new int[inputs.length];
            this.committed = new int[inputs.length];
        }

        boolean hasInput() {
            for (int i = 0; i < inputs.length; i++) {
                if (position[i] < inputs[i].records.size()) {
                    return true;
                }
            }
            return false;
        }

        /** Processes the next record of one input that has any, chosen at random. */
        void processOne() {
            final int first = random.nextInt(inputs.length);
            for (int k = 0; k < inputs.length; k++) {
                final int input = (first + k) % inputs.length;
                if (position[input] < inputs[input].records.size()) {
                    final Rec rec = inputs[input].records.get(position[input]++);
                    process(rec, false);
                    return;
                }
            }
        }

        /** At-least-once: one of the last records processed is processed again against the current state. */
        void redeliver() {
            final int input = random.nextInt(inputs.length);
            if (position[input] == 0) {
                return;
            }
            final int back = 1 + random.nextInt(Math.min(position[input], 8));
            final Rec rec = inputs[input].records.get(position[input] - back);
            note(() -> "redeliver on " + name + ": " + rec.value);
            count("redelivery");
            process(rec, true);
        }

        void send(final Log target, final Object value, final long timestamp) {
            if (params.mode() == Mode.EXACTLY_ONCE) {
                buffered.add(new Output(target, value, timestamp));
            } else {
                deliver(new Output(target, value, timestamp));
            }
        }

        private void deliver(final Output output) {
            if (output.target() == null) {
                if (params.mode() == Mode.AT_LEAST_ONCE) {
                    publishedSinceCommit.add(published.size());
                }
                published.add(new Published((Emitted) output.value(), output.timestamp(), name));
            } else {
                append(output.target(), output.value(), output.timestamp());
            }
        }

        /** Commits state, outputs and offsets together; true if anything was committed. */
        boolean commit() {
            boolean any = !buffered.isEmpty();
            for (final Output output : buffered) {
                deliver(output);
            }
            buffered.clear();
            publishedSinceCommit.clear();
            for (int i = 0; i < inputs.length; i++) {
                any |= committed[i] != position[i];
                committed[i] = position[i];
            }
            snapshot();
            return any;
        }

        void crash() {
            buffered.clear();
            // At-least-once: these were seen by consumers, but the state that went with them is lost.
            ghosts.addAll(publishedSinceCommit);
            count("ghost-events", publishedSinceCommit.size());
            publishedSinceCommit.clear();
            System.arraycopy(committed, 0, position, 0, committed.length);
            restore();
        }

        abstract void process(Rec rec, boolean redelivered);

        abstract void snapshot();

        abstract void restore();
    }

    final class OrderTask extends Task {
        Map<String, OrderState> orders = new HashMap<>();
        TreeMap<String, String> due = new TreeMap<>();
        private Map<String, OrderState> committedOrders = new HashMap<>();
        private TreeMap<String, String> committedDue = new TreeMap<>();

        OrderTask(final int partition) {
            super("order-" + partition, ordersById[partition], replies[partition]);
        }

        @Override
        void process(final Rec rec, final boolean redelivered) {
            final long wallNow = clock;
            final OrderState state;
            final OrderOutcome outcome;
            if (rec.value instanceof OrderEvent event) {
                state = orders.get(event.orderId());
                outcome = OrderSaga.onEvent(state, event, rec.timestamp, wallNow);
            } else {
                final StockReply reply = (StockReply) rec.value;
                state = orders.get(reply.orderId());
                outcome = OrderSaga.onReply(state, reply, rec.timestamp, wallNow);
            }
            note(() -> name + " processed " + rec.value + " -> " + describe(outcome));
            // An order event applies once (its id is remembered). A reply may not: one that came too early for its
            // step, from a hold sent twice, can still be answered by a redelivery.
            if (redelivered && rec.value instanceof OrderEvent && (outcome.state() != null
                || !outcome.requests().isEmpty() || !outcome.events().isEmpty())) {
                throw new Failure(name + " applied a redelivered " + rec.value + " again: " + describe(outcome));
            }
            apply(state, outcome, rec.timestamp);
        }

        private void apply(final OrderState before, final OrderOutcome outcome, final long timestamp) {
            if (outcome.state() != null) {
                orders.put(outcome.state().orderId(), outcome.state());
                reindex(before, outcome.state());
            }
            for (final StockRequest request : outcome.requests()) {
                send(requests[productPartition.get(request.productId())], request, timestamp);
            }
            for (final Emitted emitted : outcome.events()) {
                send(null, emitted, timestamp);
            }
        }

        private void reindex(final OrderState before, final OrderState after) {
            final Optional<String> oldKey = clocked(before).map(d -> dueKey(d.at(), before.orderId()));
            final Optional<String> newKey = clocked(after).map(d -> dueKey(d.at(), after.orderId()));
            if (oldKey.equals(newKey)) {
                return;
            }
            oldKey.ifPresent(due::remove);
            newKey.ifPresent(key -> due.put(key, after.orderId()));
        }

        /** What the clock waits for; settled orders are kept for the run (retention and purge are not simulated). */
        private Optional<Deadlines.Due> clocked(final OrderState state) {
            return deadlines.next(state).filter(due -> due.kind() != Deadlines.Due.Kind.PURGE);
        }

        /** The wall-clock punctuation: expires and abandons what is due. */
        void tick() {
            final long wallNow = clock;
            final List<Map.Entry<String, String>> entries =
                new ArrayList<>(due.subMap(dueKey(0, ""), true, dueKey(wallNow, "\uffff"), true).entrySet());
            for (final Map.Entry<String, String> entry : entries) {
                final OrderState state = orders.get(entry.getValue());
                final Optional<Deadlines.Due> next = clocked(state);
                if (next.isEmpty() || !dueKey(next.get().at(), entry.getValue()).equals(entry.getKey())) {
                    due.remove(entry.getKey());
                    continue;
                }
                final OrderOutcome outcome = switch (next.get().kind()) {
                    case DECISION -> OrderSaga.abandon(state, wallNow);
                    case EXPIRY -> OrderSaga.expire(state, wallNow);
                    case PURGE -> throw new IllegalStateException("purges are not indexed here");
                };
                count(next.get().kind() == Deadlines.Due.Kind.DECISION ? "abandon" : "expire");
                note(() -> name + " tick " + next.get().kind() + " " + entry.getValue() + " -> " + describe(outcome));
                apply(state, outcome, wallNow);
            }
        }

        /**
         * An expiry of an order that is not a settled reservation (unknown, waiting for a decision, or not reserved)
         * and an abandon of an order with no pending decision must change nothing: the tick never asks, but a stale
         * index entry or a late punctuation could.
         */
        void probeClocks(final String orderId) {
            final OrderState state = orders.get(orderId);
            if (state == null || state.pending() != null || state.status() != OrderStatus.RESERVED) {
                requireUnchanged(OrderSaga.expire(state, clock), "expire", state);
            }
            if (state == null || state.pending() == null) {
                requireUnchanged(OrderSaga.abandon(state, clock), "abandon", state);
            }
        }

        private void requireUnchanged(final OrderOutcome outcome, final String what, final OrderState state) {
            if (outcome.state() != null || !outcome.requests().isEmpty() || !outcome.events().isEmpty()) {
                throw new Failure(what + " changed an order that was not due: " + state + " -> " + describe(outcome));
            }
        }

        @Override
        void snapshot() {
            committedOrders = new HashMap<>(orders);
            committedDue = new TreeMap<>(due);
        }

        @Override
        void restore() {
            orders = new HashMap<>(committedOrders);
            due = new TreeMap<>(committedDue);
        }
    }

    static String dueKey(final long at, final String orderId) {
        final String time = Long.toString(Math.max(0, at));
        return "0".repeat(19 - time.length()) + time + '|' + orderId;
    }

    final class StockTask extends Task {
        Map<String, ProductState> inventory = new HashMap<>();
        /** productId to orderId to the order's share. */
        Map<String, Map<String, OrderShare>> allocations = new HashMap<>();
        Set<String> commandIds = new HashSet<>();
        private Map<String, ProductState> committedInventory = new HashMap<>();
        private Map<String, Map<String, OrderShare>> committedAllocations = new HashMap<>();
        private Set<String> committedCommandIds = new HashSet<>();

        StockTask(final int partition) {
            super("stock-" + partition, commands[partition], requests[partition]);
        }

        @Override
        void process(final Rec rec, final boolean redelivered) {
            if (rec.value instanceof StockRequest.Hold hold) {
                if (!rec.dropped && chaos && !redelivered && random.nextInt(40) == 0) {
                    rec.dropped = true;
                    count("dropped-hold");
                }
                if (rec.dropped) {
                    note(() -> name + " drops " + hold);
                    return;
                }
            }
            final String productId;
            final StockOutcome outcome;
            String pairOrder = null;
            if (rec.value instanceof InventoryCommand command) {
                productId = command.productId();
                final String commandKey = productId + '\u0000' + command.commandId();
                if (!commandIds.add(commandKey)) {
                    note(() -> name + " ignores repeated " + command);
                    return;
                }
                outcome = StockRules.apply(inventory.get(productId), command, rec.timestamp);
            } else {
                final StockRequest request = (StockRequest) rec.value;
                productId = request.productId();
                pairOrder = request.orderId();
                final OrderShare stock = allocations.getOrDefault(productId, Map.of()).get(pairOrder);
                outcome = StockRules.handle(inventory.get(productId), stock == null ? OrderShare.NONE : stock,
                    request);
            }
            note(() -> name + " processed " + rec.value + " -> " + describe(outcome));
            if (rec.value instanceof StockRequest request) {
                requireStaleIgnored(request, outcome);
            }
            if (outcome.state() != null) {
                try {
                    inventory.put(productId, outcome.state().checkInvariant());
                } catch (final IllegalStateException e) {
                    throw new Failure(name + " refused the state of " + productId + " after " + rec.value, e);
                }
            }
            if (outcome.share() != null) {
                final Map<String, OrderShare> pairs = new HashMap<>(allocations.getOrDefault(productId, Map.of()));
                if (outcome.share().isEmpty()) {
                    pairs.remove(pairOrder);
                } else {
                    pairs.put(pairOrder, outcome.share());
                }
                allocations.put(productId, pairs);
            }
            for (final StockReply reply : outcome.replies()) {
                send(replies[orderPartition.get(reply.orderId())], reply, rec.timestamp);
            }
            for (final Emitted emitted : outcome.events()) {
                send(null, emitted, rec.timestamp);
            }
        }

        /**
         * The step rule ({@code semantics.md}, "Duplicates"): a request older than the order's allocation it acts on
         * (a confirm or an abort: the hold; a release or a fulfilment: the reservation; a hold: either) is a
         * redelivery or a duplicate, and is ignored: it announces nothing and takes no unit (a hold is answered
         * again).
         */
        private void requireStaleIgnored(final StockRequest request, final StockOutcome outcome) {
            final OrderShare share = allocations.getOrDefault(request.productId(), Map.of())
                .getOrDefault(request.orderId(), OrderShare.NONE);
            final long held = share.held() == null ? -1 : share.held().step();
            final long reserved = share.reserved() == null ? -1 : share.reserved().step();
            final long newest = request instanceof StockRequest.Confirm || request instanceof StockRequest.Abort ? held
                : request instanceof StockRequest.Hold ? Math.max(held, reserved) : reserved;
            if (request.step() >= newest) {
                return;
            }
            final ProductState before = inventory.get(request.productId());
            final boolean took = outcome.state() != null && before != null
                && (outcome.state().reserved() > before.reserved() || outcome.state().held() > before.held());
            if (!outcome.events().isEmpty() || took) {
                throw new Failure(name + " applied a stale " + request + " to the share " + share + ": "
                    + describe(outcome));
            }
        }

        @Override
        void snapshot() {
            committedInventory = new HashMap<>(inventory);
            committedAllocations = new HashMap<>(allocations);
            committedCommandIds = new HashSet<>(commandIds);
        }

        @Override
        void restore() {
            inventory = new HashMap<>(committedInventory);
            allocations = new HashMap<>(committedAllocations);
            commandIds = new HashSet<>(committedCommandIds);
        }
    }

    private static String describe(final StockOutcome outcome) {
        final ProductState state = outcome.state();
        return (state == null ? "unchanged" : "onHand=" + state.onHand() + " reserved=" + state.reserved() + " held="
            + state.held() + (state.exists() ? "" : " deleted")) + (outcome.share() == null ? "" : " share="
            + outcome.share()) + " replies=" + outcome.replies() + " events=" + outcome.events();
    }

    private static String describe(final OrderOutcome outcome) {
        return (outcome.state() == null ? "unchanged" : outcome.state().status() + " held=" + outcome.state().reserved()
            + " step=" + outcome.state().step() + (outcome.state().pending() != null ? " pending" : "")
            + (outcome.state().deferred().isEmpty() ? "" : " deferred=" + outcome.state().deferred().size()))
            + " requests=" + outcome.requests() + " events=" + outcome.events();
    }

    // ------------------------------------------------------------------------------------------ the step checks

    /**
     * After every step, in every stock task's working state: {@code onHand == available + reserved + held},
     * {@code available >= 0}, and the product's totals equal the sums over its orders' shares.
     */
    private void checkStock() {
        for (final StockTask task : stockTasks) {
            for (final Map.Entry<String, ProductState> entry : task.inventory.entrySet()) {
                final ProductState state = entry.getValue();
                long reserved = 0;
                long held = 0;
                for (final OrderShare stock : task.allocations.getOrDefault(entry.getKey(), Map.of()).values()) {
                    reserved += stock.reservedUnits();
                    held += stock.heldUnits();
                    if (stock.reservedUnits() < 0 || stock.heldUnits() < 0) {
                        throw new Failure("negative share of " + entry.getKey() + ": " + stock);
                    }
                }
                final long available = state.onHand() - state.reserved() - state.held();
                if (available < 0 || state.reserved() < 0 || state.held() < 0
                    || state.onHand() != available + state.reserved() + state.held()
                    || state.available() != available) {
                    throw new Failure("stock invariant broken for " + entry.getKey() + " in " + task.name + ": "
                        + state);
                }
                if (reserved != state.reserved() || held != state.held()) {
                    throw new Failure("totals of " + entry.getKey() + " in " + task.name + " (reserved "
                        + state.reserved() + ", held " + state.held() + ") differ from its orders' shares (reserved "
                        + reserved + ", held " + held + "): " + task.allocations.get(entry.getKey()));
                }
            }
        }
    }
}
