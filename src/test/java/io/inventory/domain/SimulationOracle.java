package io.inventory.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a settled simulation must satisfy, written from the contract ({@code CONTRACT.md}) and the published
 * events, not from {@link OrderSaga}: it never asks the saga what it would do. It reads what the client sent, what a
 * {@code read_committed} consumer of the outbound topics saw, in the order it saw it, and the tasks' final stores.
 *
 * <ul>
 *   <li><b>Replay.</b> Each product's events, in the order they were committed (one task owns a product, so this is
 *   a total order per product), are replayed from the contract: a create sets {@code onHand}, an adjustment adds
 *   its delta, an update sets its quantity, a reservation adds to {@code reserved}, a release takes it back, a
 *   fulfilment takes units from both. Every event must be possible where it stands (no reservation beyond
 *   {@code onHand}, no release or shipment of units the order does not hold, the quantities and counts it carries
 *   equal the replay's) and the replay's end must equal the final store: {@code onHand}, {@code reserved}, nothing
 *   held, each order's share. So {@code onHand = created + adjustments - fulfilled}, fulfilled units never exceed
 *   reserved ones, and what was reserved minus released minus fulfilled is what the stock task holds per pair.</li>
 *   <li><b>Decisions.</b> Each order that received a create has exactly one create decided: every line reserved
 *   with its quantity, or failures and no reservation; never both. An update's reservations and releases leave
 *   the order holding exactly the update's lines, and never come with a failure of the same update; a fulfilment
 *   is answered once, all of it or none of it. The one exception the contract allows: a hold that reached its
 *   owner after {@code DECISION_TIMEOUT} is reserved and released again ({@code DECISION_TIMEOUT}).</li>
 *   <li><b>Agreement.</b> Each order's state says it holds what the events and the stock task say; no order is left
 *   pending.</li>
 *   <li><b>Exactly-once.</b> No event is seen twice (the same cause, kind, product and order); at-least-once
 *   consumers deduplicate by event id, and the replay reads each id once.</li>
 * </ul>
 */
final class SimulationOracle {

    private final Simulation sim;
    private final List<Simulation.Published> events = new ArrayList<>();

    private SimulationOracle(final Simulation sim) {
        this.sim = sim;
    }

    static void check(final Simulation sim) {
        final SimulationOracle oracle = new SimulationOracle(sim);
        oracle.deduplicate();
        final Map<String, Product> products = oracle.replayProducts();
        oracle.checkDecisions();
        oracle.checkAgreement(products);
    }

    private static void require(final boolean condition, final String message, final Object... details) {
        if (!condition) {
            final StringBuilder text = new StringBuilder(message);
            for (final Object detail : details) {
                text.append("\n    ").append(detail);
            }
            throw new Simulation.Failure(text.toString());
        }
    }

    /**
     * A promise of the contract about decisions (all or nothing, one decision, what an order holds). Exactly-once
     * keeps it; at-least-once does not (a crash keeps a decision's events but forgets the decision, and the replay
     * may decide otherwise), so there a broken promise is counted, not failed.
     */
    private void promise(final boolean condition, final String message, final Object... details) {
        if (!condition && sim.params().mode() == Simulation.Mode.AT_LEAST_ONCE) {
            final int colon = message.indexOf(':');
            sim.counters.merge("alos-broken: " + (colon < 0 ? message : message.substring(0, colon)), 1,
                Integer::sum);
            return;
        }
        require(condition, message, details);
    }

    /**
     * The events the stores stand for, in commit order: under exactly-once all of them, under at-least-once those of
     * processing that was not lost to a crash. None may be seen twice (same cause, kind, product and order): under
     * at-least-once a second one is a real second effect (the stock task applied it twice), so it is replayed too.
     */
    private void deduplicate() {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < sim.published.size(); i++) {
            final Simulation.Published published = sim.published.get(i);
            if (sim.ghosts.contains(i)) {
                continue;
            }
            promise(seen.add(published.identity()), "the same event published twice (" + published.emitted().event()
                .kind() + ")", published);
            events.add(published);
        }
    }

    // ------------------------------------------------------------------------------------------------ products

    private static final class Product {
        boolean exists;
        long onHand;
        long reserved;
        long reservedTotal;
        long fulfilledTotal;
        final Map<String, Long> shares = new TreeMap<>();
        /** Per order, the cause of the reservation last announced: a DECISION_TIMEOUT release must give it back. */
        final Map<String, Simulation.Published> lastReserved = new HashMap<>();
    }

    private Map<String, Product> replayProducts() {
        final Map<String, Product> products = new TreeMap<>();
        final Map<String, Integer> outcomes = new HashMap<>();
        for (final Simulation.Published published : events) {
            final InventoryEvent event = published.emitted().event();
            final String causeId = published.emitted().cause().eventId();
            if (event.aggregateId() == null) {
                continue;
            }
            final Product product = products.computeIfAbsent(event.aggregateId(), p -> new Product());
            if (event instanceof InventoryEvent.ItemCreated created) {
                outcomes.merge(causeId, 1, Integer::sum);
                final InventoryCommand command = sim.sentCommands.get(causeId);
                require(command instanceof InventoryCommand.CreateItem create && create.quantity() == created.quantity()
                    && create.productId().equals(created.aggregateId()), "a create event no create asked for",
                    published, command);
                require(!product.exists && product.reserved == 0, "a create of a product that exists", published);
                require(created.quantity() >= 0 && (created.price() == null || created.price().signum() >= 0),
                    "a create with a quantity or a price it should have refused", published);
                product.exists = true;
                product.onHand = created.quantity();
            } else if (event instanceof InventoryEvent.ItemUpdated updated) {
                outcomes.merge(causeId, 1, Integer::sum);
                final InventoryCommand command = sim.sentCommands.get(causeId);
                require(product.exists, "an update of a product that does not exist", published);
                if (command instanceof InventoryCommand.AdjustStock adjust) {
                    product.onHand += adjust.delta();
                } else if (command instanceof InventoryCommand.UpdateItem update && update.quantity() != null) {
                    product.onHand = update.quantity();
                } else {
                    require(command instanceof InventoryCommand.UpdateItem, "an update no command asked for",
                        published, command);
                }
                require(updated.price() == null || updated.price().signum() >= 0, "an update to a negative price",
                    published);
                require(updated.quantity() == product.onHand && updated.reserved() == product.reserved
                        && updated.available() >= 0 && updated.available() <= product.onHand - product.reserved,
                    "an update whose counts differ from the replay (onHand " + product.onHand + ", reserved "
                        + product.reserved + ")", published);
            } else if (event instanceof InventoryEvent.ItemDeleted) {
                outcomes.merge(causeId, 1, Integer::sum);
                require(sim.sentCommands.get(causeId) instanceof InventoryCommand.DeleteItem && product.exists
                    && product.reserved == 0, "a delete of a product that does not exist or is reserved", published);
                product.exists = false;
            } else if (event instanceof InventoryEvent.CommandRejected rejected) {
                outcomes.merge(causeId, 1, Integer::sum);
                final InventoryCommand command = sim.sentCommands.get(causeId);
                require(command != null, "a rejection of a command never sent", published);
                if (rejected.reason() == RejectionReason.PRODUCT_EXISTS) {
                    require(product.exists, "PRODUCT_EXISTS for a product that does not exist", published);
                } else if (rejected.reason() == RejectionReason.UNKNOWN_PRODUCT) {
                    require(!product.exists, "UNKNOWN_PRODUCT for a product that exists", published);
                } else if (command instanceof InventoryCommand.AdjustStock adjust
                    && rejected.reason() == RejectionReason.INVALID_QUANTITY) {
                    require(product.onHand + adjust.delta() < 0 || adjust.delta() > Limits.MAX_QUANTITY,
                        "an adjustment refused that was valid", published);
                }
            } else if (event instanceof InventoryEvent.Reserved reserved) {
                final Map<String, Long> lines = linesOf(causeId);
                require(lines != null, "a reservation not caused by a create or an update", published);
                promise(reserved.quantity() > 0, "a reservation of nothing", published);
                // At-least-once: a confirm meeting the late abort's zero-unit fence announces 0 units, even deleted.
                require(product.exists || reserved.quantity() == 0, "a reservation of an unknown product", published);
                product.reserved += reserved.quantity();
                product.reservedTotal += reserved.quantity();
                final long share = product.shares.merge(reserved.orderId(), reserved.quantity(), Long::sum);
                require(product.reserved <= product.onHand, "oversold: reserved " + product.reserved + " of "
                    + product.onHand + " on hand", published);
                require(reserved.available() >= 0 && reserved.available() <= product.onHand - product.reserved,
                    "a reservation announcing " + reserved.available() + " available of "
                        + (product.onHand - product.reserved), published);
                promise(share == lines.getOrDefault(event.aggregateId(), -1L),
                    "a reservation leaves the order holding other than its create or update asked: " + share,
                    published, sim.sentEvents.get(causeId));
                product.lastReserved.put(reserved.orderId(), published);
            } else if (event instanceof InventoryEvent.Released released) {
                promise(released.quantity() > 0, "a release of nothing", published);
                product.reserved -= released.quantity();
                final long share = product.shares.merge(released.orderId(), -released.quantity(), Long::sum);
                require(share >= 0, "a release of units the order does not hold", published);
                switch (released.reason()) {
                    case CANCELLED, EXPIRED -> promise(share == 0, "a cancel or an expiry that left units reserved",
                        published);
                    case UPDATED -> {
                        final OrderEvent cause = sim.sentEvents.get(causeId);
                        promise(cause instanceof OrderEvent.Changed changed
                                && share == changed.lines().getOrDefault(event.aggregateId(), 0L),
                            "an update's release that does not leave the order at the update's lines", published,
                            cause);
                    }
                    case DECISION_TIMEOUT -> {
                        final Simulation.Published last = product.lastReserved.remove(released.orderId());
                        promise(last != null && last.emitted().cause().equals(published.emitted().cause())
                                && ((InventoryEvent.Reserved) last.emitted().event()).quantity() == released.quantity(),
                            "a DECISION_TIMEOUT release that does not give back the late reservation", published, last);
                    }
                }
            } else if (event instanceof InventoryEvent.Fulfilled fulfilled) {
                promise(fulfilled.quantity() > 0, "a shipment of nothing", published);
                product.onHand -= fulfilled.quantity();
                product.reserved -= fulfilled.quantity();
                product.fulfilledTotal += fulfilled.quantity();
                final long share = product.shares.merge(fulfilled.orderId(), -fulfilled.quantity(), Long::sum);
                require(share >= 0, "shipped units the order did not hold", published);
                require(fulfilled.onHand() == product.onHand, "a fulfilment announcing onHand " + fulfilled.onHand()
                    + ", the replay has " + product.onHand, published);
                final OrderEvent cause = sim.sentEvents.get(causeId);
                promise(cause instanceof OrderEvent.Fulfilled, "a shipment no fulfilment asked for", published);
                final Map<String, Long> lines = ((OrderEvent.Fulfilled) cause).lines();
                promise(lines.isEmpty() ? share == 0 : lines.get(event.aggregateId()) == fulfilled.quantity(),
                    "a shipment of other units than the fulfilment named", published, cause);
            }
        }
        for (final String commandId : sim.sentCommands.keySet()) {
            require(outcomes.getOrDefault(commandId, 0) == 1, "command " + commandId + " answered "
                + outcomes.getOrDefault(commandId, 0) + " times, not once", sim.sentCommands.get(commandId));
        }
        for (final Simulation.StockTask task : sim.stockTasks) {
            for (final Map.Entry<String, ProductState> entry : task.inventory.entrySet()) {
                products.computeIfAbsent(entry.getKey(), p -> new Product());
            }
        }
        for (final Map.Entry<String, Product> entry : products.entrySet()) {
            final String productId = entry.getKey();
            final Product product = entry.getValue();
            final Simulation.StockTask task = sim.stockTasks.get(sim.productPartition.get(productId));
            final ProductState state = task.inventory.get(productId);
            final boolean exists = state != null && state.exists();
            final long onHand = state == null ? 0 : state.onHand();
            final long reserved = state == null ? 0 : state.reserved();
            final long held = state == null ? 0 : state.held();
            require(exists == product.exists, productId + ": the store says exists=" + exists
                + ", its events say " + product.exists);
            require(!exists || onHand == product.onHand, productId + ": onHand " + onHand
                + " in the store, " + product.onHand + " from created + adjusted - fulfilled");
            require(reserved == product.reserved, productId + ": reserved " + reserved + " in the store, "
                + product.reserved + " from its events");
            // At-least-once: a hold sent again by a replay, or redelivered, after its decision stays held (documented).
            promise(held == 0, "units left held once everything settled: " + productId + " holds " + held, state);
            require(product.fulfilledTotal <= product.reservedTotal, productId + ": shipped more than was reserved");
            final Map<String, OrderShare> pairs = task.allocations.getOrDefault(productId, Map.of());
            final Set<String> orders = new HashSet<>(pairs.keySet());
            orders.addAll(product.shares.keySet());
            for (final String order : orders) {
                final OrderShare stock = pairs.getOrDefault(order, OrderShare.NONE);
                require(stock.reservedUnits() == product.shares.getOrDefault(order, 0L),
                    productId + "/" + order + ": the stock task has " + stock + ", reserved - released - fulfilled is "
                        + product.shares.getOrDefault(order, 0L));
                promise(stock.heldUnits() == 0, "an order's share left held once everything settled: " + productId
                    + "/" + order + " " + stock);
            }
        }
        return products;
    }

    private Map<String, Long> linesOf(final String causeId) {
        final OrderEvent cause = sim.sentEvents.get(causeId);
        if (cause instanceof OrderEvent.Placed placed) {
            return placed.lines();
        }
        if (cause instanceof OrderEvent.Changed changed) {
            return changed.lines();
        }
        return null;
    }

    // ----------------------------------------------------------------------------------------------- decisions

    /** The events of one cause, by kind and product. */
    private static final class Answer {
        final Map<String, Long> reserved = new TreeMap<>();
        final Map<String, FailureReason> failed = new TreeMap<>();
        final Set<String> insufficient = new HashSet<>();
        final Set<String> timedOut = new HashSet<>();
        final Set<String> releasedByUpdate = new HashSet<>();
        final Map<String, Long> fulfilled = new TreeMap<>();
        final List<InventoryEvent> refusedFulfilments = new ArrayList<>();
        final List<InventoryEvent> other = new ArrayList<>();

        boolean decided() {
            return !reserved.isEmpty() || !failed.isEmpty();
        }
    }

    private void checkDecisions() {
        final Map<String, Answer> answers = new HashMap<>();
        for (final Simulation.Published published : events) {
            final InventoryEvent event = published.emitted().event();
            final Answer answer = answers.computeIfAbsent(published.emitted().cause().eventId(), c -> new Answer());
            if (event instanceof InventoryEvent.Reserved reserved) {
                answer.reserved.merge(reserved.aggregateId(), reserved.quantity(), Long::sum);
            } else if (event instanceof InventoryEvent.ReservationFailed failed) {
                require(answer.failed.put(failed.aggregateId(), failed.reason()) == null,
                    "two failures of one product for one cause", published);
            } else if (event instanceof InventoryEvent.Insufficient insufficient) {
                answer.insufficient.add(insufficient.aggregateId());
                require(insufficient.requested() > insufficient.available(), "insufficient but enough", published);
            } else if (event instanceof InventoryEvent.Released released) {
                switch (released.reason()) {
                    case DECISION_TIMEOUT -> answer.timedOut.add(released.aggregateId());
                    case UPDATED -> answer.releasedByUpdate.add(released.aggregateId());
                    default -> answer.other.add(event);
                }
            } else if (event instanceof InventoryEvent.Fulfilled fulfilled) {
                answer.fulfilled.merge(fulfilled.aggregateId(), fulfilled.quantity(), Long::sum);
            } else if (event instanceof InventoryEvent.FulfilmentFailed) {
                answer.refusedFulfilments.add(event);
            }
        }
        final Map<String, List<String>> decidedCreates = new LinkedHashMap<>();
        for (final OrderEvent event : sim.sentEvents.values()) {
            final Answer answer = answers.getOrDefault(event.eventId(), new Answer());
            final String what = "order " + event.orderId() + ", " + event;
            if (event instanceof OrderEvent.Placed || event instanceof OrderEvent.Changed) {
                final Map<String, Long> lines = linesOf(event.eventId());
                if (!answer.failed.isEmpty()) {
                    promise(answer.timedOut.equals(answer.reserved.keySet()),
                        "all or nothing broken: reserved " + answer.reserved + " and failed " + answer.failed, what);
                    for (final String product : answer.timedOut) {
                        // The step was abandoned; a cancel that came while it waited still wins (ORDER_CANCELLED).
                        promise(answer.failed.get(product) == FailureReason.DECISION_TIMEOUT
                                || answer.failed.get(product) == FailureReason.ORDER_CANCELLED,
                            "a late reservation given back for a product that did answer in time", what);
                    }
                    promise(answer.releasedByUpdate.isEmpty(), "a failed update released units", what);
                } else {
                    promise(answer.timedOut.isEmpty(), "a reservation given back by a step that did not fail", what);
                }
                for (final Map.Entry<String, FailureReason> failure : answer.failed.entrySet()) {
                    promise(answer.insufficient.contains(failure.getKey())
                            == (failure.getValue() == FailureReason.INSUFFICIENT_STOCK),
                        "an insufficient line without its inventory.insufficient, or the reverse", what,
                        answer.failed, answer.insufficient);
                }
                promise(answer.insufficient.stream().allMatch(answer.failed::containsKey),
                    "inventory.insufficient for a product that did not fail", what);
                promise(lines.keySet().containsAll(answer.reserved.keySet()), "a product reserved that was not asked",
                    what, answer.reserved);
                if (event instanceof OrderEvent.Placed) {
                    if (answer.decided()) {
                        decidedCreates.computeIfAbsent(event.orderId(), o -> new ArrayList<>()).add(event.eventId());
                    }
                    if (answer.failed.isEmpty() && answer.decided()) {
                        promise(answer.reserved.equals(lines), "a create reserved other than its lines: "
                            + answer.reserved, what);
                    }
                    promise(answer.releasedByUpdate.isEmpty(), "a create released units", what);
                }
            } else if (event instanceof OrderEvent.Fulfilled fulfilment) {
                promise(answer.refusedFulfilments.isEmpty() != answer.fulfilled.isEmpty(),
                    "a fulfilment must be answered once: shipped " + answer.fulfilled + ", refused "
                        + answer.refusedFulfilments, what);
                promise(answer.fulfilled.isEmpty() || fulfilment.lines().isEmpty()
                        || answer.fulfilled.equals(fulfilment.lines()),
                    "a partial fulfilment shipped other than it named: " + answer.fulfilled, what);
                promise(!answer.decided(), "a fulfilment caused a reservation decision", what);
            } else {
                promise(!answer.decided() && answer.fulfilled.isEmpty() && answer.refusedFulfilments.isEmpty()
                    && answer.timedOut.isEmpty() && answer.releasedByUpdate.isEmpty(),
                    "a cancel caused something other than releases", what);
                promise(answer.other.stream().allMatch(e -> ((InventoryEvent.Released) e).reason()
                    == ReleaseReason.CANCELLED), "a cancel released for another reason", what, answer.other);
            }
        }
        final Set<String> created = new HashSet<>();
        for (final OrderEvent event : sim.sentEvents.values()) {
            if (event instanceof OrderEvent.Placed) {
                created.add(event.orderId());
            }
        }
        for (final String order : created) {
            final List<String> decided = decidedCreates.getOrDefault(order, List.of());
            promise(decided.size() == 1, "not exactly one create decided: order " + order + " has " + decided);
        }
        replayOrders(answers);
    }

    /**
     * Each order's events in the order its task applied them (its partition of {@code orders-by-id} is a FIFO, and
     * updates and fulfilments that wait for a decision keep that order), each id once, with what they were answered:
     * the units the order holds follow from the contract. A create or update answered with reservations and no
     * failure holds its lines; a failure keeps what was held; a cancel leaves nothing; a fulfilment ships what it
     * names (all, when it names nothing). An update that nothing answers is one that asked for what the order
     * already held: anything else (a new line, a change, an order not reserved) must be answered. Expiries, which
     * no event orders, only empty an order; a reserved order is always known exactly.
     */
    private void replayOrders(final Map<String, Answer> answers) {
        for (final Map.Entry<String, List<OrderEvent>> entry : sim.appliedOrderEvents().entrySet()) {
            Map<String, Long> holds = Map.of();
            boolean placed = false;
            for (final OrderEvent event : entry.getValue()) {
                final Answer answer = answers.getOrDefault(event.eventId(), new Answer());
                if (event instanceof OrderEvent.Placed create) {
                    if (!placed && answer.failed.isEmpty() && !answer.reserved.isEmpty()) {
                        holds = create.lines();
                    }
                    placed = true;
                } else if (event instanceof OrderEvent.Changed update) {
                    if (!answer.decided() && answer.releasedByUpdate.isEmpty()) {
                        promise(holds.equals(update.lines()), "an update nothing answered, of an order that did not "
                            + "hold its lines: " + entry.getKey() + " held " + holds, update);
                    } else if (answer.failed.isEmpty()) {
                        holds = update.lines();
                    }
                } else if (event instanceof OrderEvent.Cancelled) {
                    holds = Map.of();
                } else if (event instanceof OrderEvent.Fulfilled fulfilment && !answer.fulfilled.isEmpty()) {
                    final Map<String, Long> left = new TreeMap<>(holds);
                    if (fulfilment.lines().isEmpty()) {
                        left.clear();
                    } else {
                        fulfilment.lines().forEach((product, units) -> left.merge(product, -units, Long::sum));
                        left.values().removeIf(units -> units <= 0);
                    }
                    holds = left;
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- agreement

    private void checkAgreement(final Map<String, Product> products) {
        final Set<String> orders = new HashSet<>(sim.orderIds);
        for (final String order : orders) {
            final Simulation.OrderTask task = sim.orderTasks.get(sim.orderPartition.get(order));
            final OrderState state = task.orders.get(order);
            final Map<String, Long> fromEvents = new TreeMap<>();
            products.forEach((productId, product) -> {
                final long share = product.shares.getOrDefault(order, 0L);
                if (share != 0) {
                    fromEvents.put(productId, share);
                }
            });
            if (state == null) {
                require(fromEvents.isEmpty(), "order " + order + " is unknown but holds " + fromEvents);
                continue;
            }
            require(state.pending() == null && state.deferred().isEmpty(), "order " + order
                + " still waits once everything settled", state);
            promise(state.reserved().equals(fromEvents), "an order's state disagrees with its events and the stock tasks: "
                + order + " says it holds " + state.reserved() + ", they say " + fromEvents, state);
            promise((state.status() == OrderStatus.RESERVED) == !state.reserved().isEmpty(),
                "an order's status disagrees with its holding: " + order + " is " + state.status() + " holding "
                    + state.reserved(), state);
            require(sim.deadlines().next(state).map(due -> due.kind() == Deadlines.Due.Kind.PURGE).orElse(true),
                "order " + order + " still has a deadline once everything settled", state);
        }
    }
}
