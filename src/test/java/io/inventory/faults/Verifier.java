package io.inventory.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.faults.Outputs.Out;
import io.inventory.faults.Workload.Kind;
import io.inventory.faults.Workload.Sent;
import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Judges a finished run from what was sent, the {@code read_committed} outputs and the final HTTP views.
 *
 * <p><b>Orders.</b> The order in which the service handled one order's events is not observable (they arrive on
 * three topics and are repartitioned by tasks that die and replay), so each order is checked against a sequential
 * model of the semantics under <em>some</em> order of its distinct events: the check passes if one order of them
 * explains exactly the outputs caused by each event ({@code metadata.causationId}) and the order's final state
 * ({@code GET /orders/{id}}: status and held lines). Whether a hold round is granted depends on other orders, so the
 * model takes grant or refusal from the outputs and predicts everything else: all lines reserved with their exact
 * quantities (an update's deltas, reserved and released) or a failure with nothing reserved, refused products a
 * subset of those asked for, an {@code inventory.insufficient} with the right {@code requested} for each product
 * short of stock, cancels releasing exactly what is held, late creates and updates of cancelled orders refused,
 * fulfilments shipping exactly what they name (or everything held) or refused whole with the contract's reason,
 * updates of a shipped order refused, and the final view's fulfilled units.
 *
 * <p><b>Products.</b> The stock side of a product is observable in the order the service applied it only for its
 * on-hand count ({@code inventory.updated} is one partition per product): that chain is replayed, starting from the
 * create's quantity, adding each adjustment in partition order (shipments, on another topic, only ever lower it
 * in between: the units shipped before each update must grow along the chain and stay within what was shipped).
 * Reservations are checked order-independently: the final HTTP view must show {@code onHand} = initial + applied
 * adjustments - shipped, {@code reserved} = the sum over orders of reserved minus released minus shipped, nothing
 * {@code held}, and {@code available = onHand - reserved}. No unit is shipped twice: per order and product, the
 * order model fixes every {@code inventory.fulfilled} quantity, and the shipped total never exceeds the reserved.
 *
 * <p><b>Everything.</b> No outbound {@code eventId} twice; every outbound event caused by something that was sent;
 * every adjustment applied or rejected once (restocks never rejected); every poison record in the DLQ exactly once
 * (matched by {@code dlq.source.*} headers and content) with a {@code dlq.reason}, and nothing else in the DLQ.
 */
final class Verifier {

    private static final Set<String> ORDER_TOPICS = Set.copyOf(Topic.names(List.of(Topics.INVENTORY_RESERVED,
        Topics.INVENTORY_RELEASED, Topics.INVENTORY_RESERVATION_FAILED, Topics.INVENTORY_INSUFFICIENT,
        Topics.INVENTORY_FULFILLED, Topics.INVENTORY_FULFILMENT_FAILED)));

    private final List<Sent> sent;
    private final Map<String, Long> initialStock;
    private final List<Out> outputs;
    private final Map<String, JsonNode> productViews;
    private final Map<String, JsonNode> orderViews;
    private final List<String> violations = new ArrayList<>();

    Verifier(final List<Sent> sent, final Map<String, Long> initialStock, final List<Out> outputs,
             final Map<String, JsonNode> productViews, final Map<String, JsonNode> orderViews) {
        this.sent = sent;
        this.initialStock = initialStock;
        this.outputs = outputs;
        this.productViews = productViews;
        this.orderViews = orderViews;
    }

    List<String> verify() {
        checkSends();
        checkEventIds();
        checkDeadLetters();
        checkOrders();
        checkProducts();
        return violations;
    }

    /** Distinct orders that had at least one event. */
    Set<String> orderIds() {
        return sent.stream().filter(s -> s.orderId != null).map(s -> s.orderId).collect(Collectors.toSet());
    }

    private void checkSends() {
        sent.stream().filter(s -> s.failure != null || s.offset < 0).forEach(s ->
            violations.add("harness: a record was not acknowledged by the broker: " + s + " " + s.failure));
    }

    private void checkEventIds() {
        final Set<String> causes = sent.stream().map(s -> s.eventId).filter(id -> id != null)
            .collect(Collectors.toSet());
        final Map<String, List<Out>> byId = new HashMap<>();
        for (final Out out : outputs) {
            if (out.topic().equals(Topics.INVENTORY_DLQ.name())) {
                continue;
            }
            if (out.envelope() == null || out.eventId() == null) {
                violations.add("outbound record is not an envelope: " + out);
                continue;
            }
            byId.computeIfAbsent(out.eventId(), id -> new ArrayList<>()).add(out);
            if (!causes.contains(out.cause())) {
                violations.add("outbound event whose causationId was never sent: " + out);
            }
        }
        byId.forEach((id, outs) -> {
            if (outs.size() > 1) {
                violations.add("outbound eventId " + id + " appears " + outs.size() + " times:\n    "
                    + outs.stream().map(Out::toString).collect(Collectors.joining("\n    ")));
            }
        });
    }

    private void checkDeadLetters() {
        final Map<String, List<Out>> byCoordinates = new HashMap<>();
        for (final Out out : outputs) {
            if (out.topic().equals(Topics.INVENTORY_DLQ.name())) {
                byCoordinates.computeIfAbsent(out.headers().get("dlq.source.topic") + "/"
                    + out.headers().get("dlq.source.partition") + "/" + out.headers().get("dlq.source.offset"),
                    k -> new ArrayList<>()).add(out);
            }
        }
        for (final Sent poison : sent) {
            if (poison.kind != Kind.POISON) {
                continue;
            }
            final String coordinates = poison.topic + "/" + poison.partition + "/" + poison.offset;
            final List<Out> letters = byCoordinates.getOrDefault(coordinates, List.of());
            if (letters.size() != 1) {
                violations.add("poison record dead-lettered " + letters.size() + " times (expected once): " + poison
                    + "\n    dead letters: " + letters);
            } else if (letters.get(0).headers().get("dlq.reason") == null) {
                violations.add("dead letter without dlq.reason: " + letters.get(0));
            } else if (!Arrays.equals(letters.get(0).value(), poison.value)) {
                violations.add("dead letter does not carry the original bytes: " + poison + " -> " + letters.get(0));
            }
            byCoordinates.remove(coordinates);
        }
        byCoordinates.values().forEach(letters -> letters.forEach(letter ->
            violations.add("unexpected dead letter (not a poison record of the workload): " + letter)));
    }

    // Orders -------------------------------------------------------------------------------------------------

    private void checkOrders() {
        final Map<String, List<Sent>> inputs = new TreeMap<>();
        sent.stream().filter(s -> s.orderId != null).forEach(s ->
            inputs.computeIfAbsent(s.orderId, o -> new ArrayList<>()).add(s));
        final Map<String, List<Out>> outs = new HashMap<>();
        outputs.stream().filter(o -> ORDER_TOPICS.contains(o.topic()) && o.field("orderId") != null)
            .forEach(o -> outs.computeIfAbsent(o.field("orderId"), k -> new ArrayList<>()).add(o));
        outs.keySet().stream().filter(o -> !inputs.containsKey(o)).forEach(o ->
            violations.add("outputs for an order never sent: " + outs.get(o)));
        inputs.forEach((orderId, events) -> checkOrder(orderId, events, outs.getOrDefault(orderId, List.of())));
    }

    private void checkOrder(final String orderId, final List<Sent> inputs, final List<Out> observed) {
        final Map<String, Sent> distinct = new LinkedHashMap<>();
        inputs.forEach(s -> distinct.putIfAbsent(s.eventId, s));
        final Map<String, List<String>> observedByCause = new HashMap<>();
        for (final Out out : observed) {
            observedByCause.computeIfAbsent(out.cause(), c -> new ArrayList<>()).add(describe(out));
        }
        observedByCause.values().forEach(list -> list.sort(null));
        final JsonNode view = orderViews.get(orderId);
        final OrderSearch search = new OrderSearch(new ArrayList<>(distinct.values()), observedByCause, view);
        if (!search.explained()) {
            final StringBuilder text = new StringBuilder("order " + orderId
                + ": no processing order of its events explains its outputs and final state");
            text.append("\n    inputs (sending order):");
            inputs.forEach(s -> text.append("\n      ").append(s));
            text.append("\n    outputs seen:");
            observed.forEach(o -> text.append("\n      ").append(o));
            text.append("\n    final view: ").append(view);
            text.append("\n    expected, replaying in sending order: ").append(search.sendingOrderReport());
            violations.add(text.toString());
        }
        if (view != null && inputs.stream().anyMatch(s -> s.kind == Kind.ORDER_CANCELLED)
            && (!Set.of("CANCELLED", "FULFILLED").contains(view.path("status").asText())
            || view.path("held").size() > 0)) {
            violations.add("order " + orderId + " was cancelled but its final view is " + view);
        }
    }

    /** The canonical form of an order output for comparison with the model. */
    private static String describe(final Out out) {
        final String topic = out.topic();
        if (topic.equals(Topics.INVENTORY_RESERVED.name())) {
            return "reserved " + out.key() + " " + out.number("quantity");
        }
        if (topic.equals(Topics.INVENTORY_RELEASED.name())) {
            return "released " + out.key() + " " + out.number("quantity");
        }
        if (topic.equals(Topics.INVENTORY_RESERVATION_FAILED.name())) {
            return "failed " + out.key() + " " + out.field("reason");
        }
        if (topic.equals(Topics.INVENTORY_FULFILLED.name())) {
            return "fulfilled " + out.key() + " " + out.number("quantity");
        }
        if (topic.equals(Topics.INVENTORY_FULFILMENT_FAILED.name())) {
            return "unfulfilled "
                + (out.payload().path("aggregateId").isNull() ? "(none)" : out.field("aggregateId")) + " "
                + out.field("reason") + (out.payload().has("requested")
                ? " requested " + out.number("requested") + " reserved " + out.number("reserved") : "");
        }
        return "insufficient " + out.key() + " requested " + out.number("requested")
            + (out.number("available") < out.number("requested") ? "" : " (available " + out.number("available")
            + " is not short!)");
    }

    /** Depth-first search over processing orders, pruned as soon as one event's outputs are not explained. */
    private static final class OrderSearch {
        private final List<Sent> events;
        private final Map<String, List<String>> observed;
        private final JsonNode view;
        private final StringBuilder sendingOrder = new StringBuilder();

        OrderSearch(final List<Sent> events, final Map<String, List<String>> observed, final JsonNode view) {
            this.events = events;
            this.observed = observed;
            this.view = view;
        }

        boolean explained() {
            return search(new State(), new boolean[events.size()], 0, false);
        }

        String sendingOrderReport() {
            State state = new State();
            final StringBuilder out = new StringBuilder();
            for (final Sent event : events) {
                final Step step = state.apply(event, observed.getOrDefault(event.eventId, List.of()));
                out.append("\n      ").append(event.kind).append(' ').append(event.eventId).append(" -> ")
                    .append(step.expected).append(step.error == null ? "" : " !! " + step.error);
                state = step.next;
            }
            out.append("\n      final: status=").append(state.status).append(" held=").append(state.held)
                .append(" fulfilled=").append(state.fulfilled);
            return out.toString();
        }

        private boolean search(final State state, final boolean[] used, final int depth, final boolean cancelNext) {
            if (depth == events.size()) {
                return !cancelNext && state.matches(view);
            }
            for (int i = 0; i < events.size(); i++) {
                if (used[i] || (cancelNext && events.get(i).kind != Kind.ORDER_CANCELLED)) {
                    continue;
                }
                final Sent event = events.get(i);
                final List<String> seen = observed.getOrDefault(event.eventId, List.of());
                final Step step = state.apply(event, seen);
                if (step.error != null || !step.expected.equals(seen)) {
                    continue;
                }
                used[i] = true;
                final boolean found = search(step.next, used, depth + 1, step.cancelNext);
                used[i] = false;
                if (found) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Step(State next, List<String> expected, String error, boolean cancelNext) {
    }

    /** The order as the contract's sequential semantics see it. */
    private static final class State {
        boolean placed;
        String status = "NEW";
        Map<String, Long> held = new TreeMap<>();
        Map<String, Long> fulfilled = new TreeMap<>();
        /** The products held just before the order last stopped holding any. */
        List<String> lastHeld = List.of();

        State copy() {
            final State copy = new State();
            copy.placed = placed;
            copy.status = status;
            copy.held = new TreeMap<>(held);
            copy.fulfilled = new TreeMap<>(fulfilled);
            copy.lastHeld = lastHeld;
            return copy;
        }

        /** Stops holding anything, remembering what it held. */
        void holdNothing() {
            if (!held.isEmpty()) {
                lastHeld = List.copyOf(held.keySet());
            }
            held = new TreeMap<>();
        }

        boolean matches(final JsonNode view) {
            if (view == null) {
                return false;
            }
            return status.equals(view.path("status").asText()) && held.equals(units(view.path("held")))
                && fulfilled.equals(units(view.path("fulfilled"))) && placed == view.path("placed").asBoolean();
        }

        private static Map<String, Long> units(final JsonNode byProduct) {
            final Map<String, Long> units = new TreeMap<>();
            byProduct.fields().forEachRemaining(e -> units.put(e.getKey(), e.getValue().asLong()));
            return units;
        }

        /** Applies one event; the grant-or-refuse of a hold round is taken from what was observed. */
        Step apply(final Sent event, final List<String> seen) {
            final State next = copy();
            final List<String> expected = new ArrayList<>();
            switch (event.kind) {
                case ORDER_CANCELLED -> {
                    if (!status.equals("CANCELLED") && !status.equals("FULFILLED")) {
                        held.forEach((p, q) -> expected.add("released " + p + " " + q));
                        next.holdNothing();
                        next.status = "CANCELLED";
                    }
                }
                case ORDER_FULFILLED -> fulfil(next, event.lines, expected);
                case ORDER_CREATED -> {
                    if (placed) {
                        break;
                    }
                    next.placed = true;
                    if (status.equals("CANCELLED")) {
                        event.lines.keySet().forEach(p -> expected.add("failed " + p + " ORDER_CANCELLED"));
                        break;
                    }
                    return hold(next, event.lines, event.lines, Map.of(), seen, expected, true);
                }
                case ORDER_UPDATED -> {
                    if (!fulfilled.isEmpty()) {
                        event.lines.keySet().forEach(p -> expected.add("failed " + p + " ORDER_FULFILLED"));
                        break;
                    }
                    if (status.equals("CANCELLED") || !placed) {
                        final String reason = status.equals("CANCELLED") ? "ORDER_CANCELLED" : "UNKNOWN_ORDER";
                        event.lines.keySet().forEach(p -> expected.add("failed " + p + " " + reason));
                        break;
                    }
                    final Map<String, Long> increases = new TreeMap<>();
                    final Map<String, Long> decreases = new TreeMap<>();
                    event.lines.forEach((p, q) -> {
                        if (q > held.getOrDefault(p, 0L)) {
                            increases.put(p, q - held.getOrDefault(p, 0L));
                        }
                    });
                    held.forEach((p, q) -> {
                        if (q > event.lines.getOrDefault(p, 0L)) {
                            decreases.put(p, q - event.lines.getOrDefault(p, 0L));
                        }
                    });
                    if (!increases.isEmpty()) {
                        return hold(next, increases, event.lines, decreases, seen, expected, false);
                    }
                    if (!decreases.isEmpty()) {
                        decreases.forEach((p, q) -> expected.add("released " + p + " " + q));
                        next.held = new TreeMap<>(event.lines);
                        next.status = "RESERVED";
                    }
                }
                default -> throw new IllegalArgumentException("not an order event: " + event);
            }
            expected.sort(null);
            return new Step(next, expected, null, false);
        }

        /** A fulfilment: all or nothing, checked against what the order holds; refusals name the contract's products. */
        private static void fulfil(final State next, final Map<String, Long> lines, final List<String> expected) {
            final String refusal = !next.placed
                ? (next.status.equals("CANCELLED") ? "ORDER_CANCELLED" : "UNKNOWN_ORDER")
                : switch (next.status) {
                    case "RESERVED" -> null;
                    case "CANCELLED" -> "ORDER_CANCELLED";
                    case "FULFILLED" -> "ORDER_FULFILLED";
                    default -> "UNKNOWN_ORDER";
                };
            if (refusal != null) {
                final List<String> named = lines.isEmpty() ? next.lastHeld : List.copyOf(lines.keySet());
                if (named.isEmpty()) {
                    expected.add("unfulfilled (none) " + refusal);
                }
                named.forEach(p -> expected.add("unfulfilled " + p + " " + refusal));
                return;
            }
            final Map<String, Long> shipped = lines.isEmpty() ? new TreeMap<>(next.held) : lines;
            final List<String> exceeding = new ArrayList<>();
            shipped.forEach((p, q) -> {
                if (q > next.held.getOrDefault(p, 0L)) {
                    exceeding.add("unfulfilled " + p + " EXCEEDS_RESERVATION requested " + q + " reserved "
                        + next.held.getOrDefault(p, 0L));
                }
            });
            if (!exceeding.isEmpty()) {
                expected.addAll(exceeding);
                return;
            }
            final Map<String, Long> left = new TreeMap<>(next.held);
            shipped.forEach((p, q) -> {
                expected.add("fulfilled " + p + " " + q);
                next.fulfilled.merge(p, q, Long::sum);
                left.merge(p, -q, Long::sum);
                left.remove(p, 0L);
            });
            if (left.isEmpty()) {
                next.holdNothing();
                next.status = "FULFILLED";
            } else {
                next.held = left;
            }
        }

        private static Step hold(final State next, final Map<String, Long> holds, final Map<String, Long> target,
                                 final Map<String, Long> decreases, final List<String> seen,
                                 final List<String> expected, final boolean create) {
            final boolean granted = seen.stream().anyMatch(s -> s.startsWith("reserved "));
            if (granted) {
                holds.forEach((p, q) -> expected.add("reserved " + p + " " + q));
                decreases.forEach((p, q) -> expected.add("released " + p + " " + q));
                next.held = new TreeMap<>(target);
                next.status = "RESERVED";
                expected.sort(null);
                return new Step(next, expected, null, false);
            }
            final List<String> failures = seen.stream().filter(s -> s.startsWith("failed ")).toList();
            if (failures.isEmpty()) {
                return new Step(next, List.of("(an outcome: reserved or failed)"),
                    "no outcome for a hold round", false);
            }
            if (failures.stream().allMatch(s -> s.endsWith(" ORDER_CANCELLED"))) {
                // A cancel arrived while the round was pending: the decision became the cancel.
                holds.keySet().forEach(p -> expected.add("failed " + p + " ORDER_CANCELLED"));
                if (create) {
                    next.status = "FAILED";
                }
                expected.sort(null);
                return new Step(next, expected, null, true);
            }
            for (final String failure : failures) {
                final String[] parts = failure.split(" ");
                if (!holds.containsKey(parts[1]) || !parts[2].equals("INSUFFICIENT_STOCK")) {
                    return new Step(next, List.of(), "unexpected failure " + failure, false);
                }
                expected.add(failure);
                expected.add("insufficient " + parts[1] + " requested " + holds.get(parts[1]));
            }
            if (create) {
                next.status = "FAILED";
            }
            expected.sort(null);
            return new Step(next, expected, null, false);
        }
    }

    // Products -----------------------------------------------------------------------------------------------

    private void checkProducts() {
        final Map<String, Sent> adjusts = new HashMap<>();
        sent.stream().filter(s -> s.kind == Kind.ADJUST).forEach(s -> adjusts.putIfAbsent(s.eventId, s));
        final Map<String, List<Out>> outcomes = new HashMap<>();
        outputs.stream().filter(o -> o.topic().equals(Topics.INVENTORY_UPDATED.name())
            || o.topic().equals(Topics.INVENTORY_COMMANDS_REJECTED.name()))
            .forEach(o -> outcomes.computeIfAbsent(o.cause(), c -> new ArrayList<>()).add(o));
        final Map<String, Long> applied = new HashMap<>();
        adjusts.values().forEach(adjust -> {
            final List<Out> results = outcomes.getOrDefault(adjust.eventId, List.of());
            if (results.size() != 1) {
                violations.add("adjustment answered " + results.size() + " times (expected once): " + adjust
                    + "\n    answers: " + results);
                return;
            }
            final Out result = results.get(0);
            if (result.topic().equals(Topics.INVENTORY_UPDATED.name())) {
                applied.merge(adjust.productId, adjust.quantity, Long::sum);
            } else if (adjust.quantity > 0) {
                violations.add("a restock was rejected: " + adjust + " -> " + result);
            }
        });

        final Map<String, Long> netReserved = new HashMap<>();
        final Map<String, Long> shipped = new HashMap<>();
        final Map<String, List<Out>> created = new HashMap<>();
        final Map<String, List<Out>> updated = new HashMap<>();
        for (final Out out : outputs) {
            final String topic = out.topic();
            if (topic.equals(Topics.INVENTORY_RESERVED.name())) {
                netReserved.merge(out.key(), out.number("quantity"), Long::sum);
            } else if (topic.equals(Topics.INVENTORY_RELEASED.name())) {
                netReserved.merge(out.key(), -out.number("quantity"), Long::sum);
            } else if (topic.equals(Topics.INVENTORY_FULFILLED.name())) {
                netReserved.merge(out.key(), -out.number("quantity"), Long::sum);
                shipped.merge(out.key(), out.number("quantity"), Long::sum);
            } else if (topic.equals(Topics.INVENTORY_CREATED.name())) {
                created.computeIfAbsent(out.key(), k -> new ArrayList<>()).add(out);
            } else if (topic.equals(Topics.INVENTORY_UPDATED.name())) {
                updated.computeIfAbsent(out.key(), k -> new ArrayList<>()).add(out);
            }
            if (out.payload() != null && out.payload().has("available") && out.number("available") < 0) {
                violations.add("an event shows negative availability: " + out);
            }
        }

        initialStock.forEach((productId, initial) -> {
            final List<Out> creates = created.getOrDefault(productId, List.of());
            if (creates.size() != 1 || creates.get(0).number("quantity") != initial) {
                violations.add("product " + productId + ": expected one inventory.created with quantity " + initial
                    + ", saw " + creates);
            }
            // Replay the on-hand count in the order the product's task applied the adjustments. Shipments lower it in
            // between (another topic, so their place in the chain is unknown): the units shipped before each update
            // can only grow along the chain, and never beyond what was shipped in all.
            final long shippedInAll = shipped.getOrDefault(productId, 0L);
            long shippedBefore = 0;
            long onHand = initial;
            final List<Out> chain = new ArrayList<>(updated.getOrDefault(productId, List.of()));
            chain.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            for (final Out update : chain) {
                final Sent cause = adjusts.get(update.cause());
                if (cause == null) {
                    violations.add("product " + productId + ": inventory.updated not caused by an adjustment: "
                        + update);
                    continue;
                }
                onHand += cause.quantity;
                final long shippedNow = onHand - update.number("quantity");
                if (shippedNow < shippedBefore || shippedNow > shippedInAll
                    || update.number("reserved") > update.number("quantity")) {
                    violations.add("product " + productId + ": replaying adjustments in partition order gives "
                        + "onHand " + onHand + " before shipments after " + cause + ", but the service published "
                        + update + " (" + shippedNow + " units shipped by then; " + shippedBefore + " before, "
                        + shippedInAll + " in all)");
                } else {
                    shippedBefore = shippedNow;
                }
            }
            final long expectedOnHand = initial + applied.getOrDefault(productId, 0L) - shippedInAll;
            final long expectedReserved = netReserved.getOrDefault(productId, 0L);
            final JsonNode view = productViews.get(productId);
            if (view == null) {
                violations.add("product " + productId + ": no final HTTP view");
                return;
            }
            if (view.path("onHand").asLong() != expectedOnHand || view.path("reserved").asLong() != expectedReserved
                || view.path("held").asLong() != 0
                || view.path("available").asLong() != expectedOnHand - expectedReserved) {
                violations.add("product " + productId + ": final HTTP view " + view + ", but the committed events "
                    + "imply onHand=" + expectedOnHand + " (initial " + initial + " + applied adjustments "
                    + applied.getOrDefault(productId, 0L) + " - shipped " + shippedInAll + "), reserved="
                    + expectedReserved + " (reserved - released - shipped), held=0, available="
                    + (expectedOnHand - expectedReserved));
            }
        });
    }
}
