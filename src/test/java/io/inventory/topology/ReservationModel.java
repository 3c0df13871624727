package io.inventory.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small sequential reference model of the contract, written independently of the domain classes: it predicts,
 * per inbound event, the payloads published on each outbound topic, as canonical strings.
 */
final class ReservationModel {

    private final Map<String, Product> products = new HashMap<>();
    private final Map<String, Order> orders = new HashMap<>();
    private final Map<String, List<String>> expected = new TreeMap<>();
    /** Commands answered for products the model holds nothing for (never created): a redelivery is silent too. */
    private final Set<String> seenForUnknown = new HashSet<>();

    private static final class Product {
        boolean exists;
        long onHand;
        final TreeMap<String, Long> reservations = new TreeMap<>();
        final Set<String> seen = new HashSet<>();

        long reserved() {
            return reservations.values().stream().mapToLong(Long::longValue).sum();
        }

        long available() {
            return onHand - reserved();
        }
    }

    private static final class Order {
        boolean placed;
        String status = "NEW";
        TreeMap<String, Long> held = new TreeMap<>();
        final Set<String> seen = new HashSet<>();
        /** Shipped anything, ever. */
        boolean shipped;
        /** The products held just before the order last stopped holding any. */
        TreeSet<String> lastHeld = new TreeSet<>();

        void holdNothing() {
            if (!held.isEmpty()) {
                lastHeld = new TreeSet<>(held.keySet());
            }
            held = new TreeMap<>();
        }
    }

    /** Expected payloads by topic since the last call, and forgets them. */
    Map<String, List<String>> drainExpected() {
        final Map<String, List<String>> copy = new TreeMap<>(expected);
        expected.clear();
        return copy;
    }

    long onHand(final String productId) {
        final Product product = products.get(productId);
        return product == null || !product.exists ? -1 : product.onHand;
    }

    Map<String, Long> held(final String orderId) {
        final Order order = orders.get(orderId);
        return order == null ? Map.of() : order.held;
    }

    private void emit(final String topic, final Object... fields) {
        final StringBuilder line = new StringBuilder();
        for (final Object field : fields) {
            if (!line.isEmpty()) {
                line.append(':');
            }
            line.append(field);
        }
        expected.computeIfAbsent(topic, t -> new ArrayList<>()).add(line.toString());
    }

    // Item commands.

    void create(final String id, final String p, final long quantity) {
        final Product product = products.get(p);
        if (product != null && product.seen.contains(id) || seenForUnknown.contains(p + '|' + id)) {
            return;
        }
        if (product != null && product.exists) {
            reject(product, id, p, "PRODUCT_EXISTS");
            return;
        }
        final Product created = product == null ? new Product() : product;
        products.put(p, created);
        created.exists = true;
        created.onHand = quantity;
        created.seen.add(id);
        emit(Topics.INVENTORY_CREATED.name(), p, quantity);
    }

    void update(final String id, final String p, final long quantity) {
        final Product product = known(id, p);
        if (product == null) {
            return;
        }
        if (quantity < product.reserved()) {
            reject(product, id, p, "RESERVATIONS_UNCOVERED");
            return;
        }
        product.onHand = quantity;
        product.seen.add(id);
        emit(Topics.INVENTORY_UPDATED.name(), p, quantity, product.reserved(), product.available());
    }

    void adjust(final String id, final String p, final long delta) {
        final Product product = known(id, p);
        if (product == null) {
            return;
        }
        final long onHand = product.onHand + delta;
        if (onHand < 0) {
            reject(product, id, p, "INVALID_QUANTITY");
            return;
        }
        if (onHand < product.reserved()) {
            reject(product, id, p, "RESERVATIONS_UNCOVERED");
            return;
        }
        product.onHand = onHand;
        product.seen.add(id);
        emit(Topics.INVENTORY_UPDATED.name(), p, onHand, product.reserved(), product.available());
    }

    void delete(final String id, final String p) {
        final Product product = known(id, p);
        if (product == null) {
            return;
        }
        if (product.reserved() > 0) {
            reject(product, id, p, "RESERVATIONS_UNCOVERED");
            return;
        }
        product.exists = false;
        product.seen.add(id);
        emit(Topics.INVENTORY_DELETED.name(), p);
    }

    /** The product if the command applies to an existing one; otherwise handles the duplicate or the rejection. */
    private Product known(final String id, final String p) {
        final Product product = products.get(p);
        if (product != null && product.seen.contains(id) || seenForUnknown.contains(p + '|' + id)) {
            return null;
        }
        if (product == null || !product.exists) {
            reject(product, id, p, "UNKNOWN_PRODUCT");
            return null;
        }
        return product;
    }

    private void reject(final Product product, final String id, final String p, final String reason) {
        if (product != null) {
            product.seen.add(id);
        } else {
            seenForUnknown.add(p + '|' + id);
        }
        emit(Topics.INVENTORY_COMMANDS_REJECTED.name(), p, id, reason);
    }

    // Order events: lines are (productId, quantity) pairs as sent, products may repeat.

    void orderCreated(final String id, final String o, final List<Map.Entry<String, Long>> rawLines) {
        final Order order = orders.computeIfAbsent(o, k -> new Order());
        if (!order.seen.add(id) || order.placed) {
            return;
        }
        order.placed = true;
        final Lines lines = Lines.of(rawLines);
        if (order.status.equals("CANCELLED")) {
            failAll(o, lines.all(), "ORDER_CANCELLED");
        } else if (!lines.invalid.isEmpty()) {
            failAll(o, lines.invalid, "INVALID_QUANTITY");
            order.status = "FAILED";
        } else {
            reserve(o, order, lines.valid, lines.valid, true);
        }
    }

    void orderUpdated(final String id, final String o, final List<Map.Entry<String, Long>> rawLines) {
        final Order order = orders.computeIfAbsent(o, k -> new Order());
        if (!order.seen.add(id)) {
            return;
        }
        final Lines lines = Lines.of(rawLines);
        if (order.shipped) {
            failAll(o, lines.all(), "ORDER_FULFILLED");
            return;
        }
        if (order.status.equals("CANCELLED")) {
            failAll(o, lines.all(), "ORDER_CANCELLED");
            return;
        }
        if (!order.placed) {
            failAll(o, lines.all(), "UNKNOWN_ORDER");
            return;
        }
        if (!lines.invalid.isEmpty()) {
            failAll(o, lines.invalid, "INVALID_QUANTITY");
            return;
        }
        final TreeMap<String, Long> increases = new TreeMap<>();
        lines.valid.forEach((p, q) -> {
            final long delta = q - order.held.getOrDefault(p, 0L);
            if (delta > 0) {
                increases.put(p, delta);
            }
        });
        if (!increases.isEmpty()) {
            reserve(o, order, increases, lines.valid, false);
            return;
        }
        final TreeMap<String, Long> decreases = decreases(order.held, lines.valid);
        if (decreases.isEmpty()) {
            return;
        }
        decreases.forEach((p, q) -> release(o, p, q, "UPDATED"));
        order.held = new TreeMap<>(lines.valid);
        order.status = "RESERVED";
    }

    void orderCancelled(final String id, final String o) {
        final Order order = orders.computeIfAbsent(o, k -> new Order());
        if (!order.seen.add(id) || Set.of("CANCELLED", "FULFILLED", "EXPIRED").contains(order.status)) {
            return;
        }
        order.held.forEach((p, q) -> release(o, p, q, "CANCELLED"));
        order.holdNothing();
        order.status = "CANCELLED";
    }

    /**
     * A fulfilment of {@code rawLines}, or of everything held when there are none; any non-positive line makes it
     * invalid input, dead-lettered and otherwise ignored.
     */
    void orderFulfilled(final String id, final String o, final List<Map.Entry<String, Long>> rawLines) {
        final Lines lines = Lines.of(rawLines);
        if (!lines.invalid.isEmpty()) {
            return;
        }
        final Order order = orders.computeIfAbsent(o, k -> new Order());
        if (!order.seen.add(id)) {
            return;
        }
        final String refusal = !order.placed
            ? (order.status.equals("CANCELLED") ? "ORDER_CANCELLED" : "UNKNOWN_ORDER")
            : switch (order.status) {
                case "RESERVED" -> null;
                case "CANCELLED" -> "ORDER_CANCELLED";
                case "FULFILLED" -> "ORDER_FULFILLED";
                case "EXPIRED" -> "RESERVATION_EXPIRED";
                default -> "UNKNOWN_ORDER";
            };
        if (refusal != null) {
            final Set<String> named = lines.valid.isEmpty() ? order.lastHeld : lines.valid.keySet();
            if (named.isEmpty()) {
                emit(Topics.INVENTORY_FULFILMENT_FAILED.name(), "null", refusal, o);
            }
            named.forEach(p -> emit(Topics.INVENTORY_FULFILMENT_FAILED.name(), p, refusal, o));
            return;
        }
        final TreeMap<String, Long> shipped = lines.valid.isEmpty() ? new TreeMap<>(order.held) : lines.valid;
        final TreeMap<String, Long> exceeding = new TreeMap<>();
        shipped.forEach((p, q) -> {
            if (q > order.held.getOrDefault(p, 0L)) {
                exceeding.put(p, q);
            }
        });
        if (!exceeding.isEmpty()) {
            exceeding.forEach((p, q) -> emit(Topics.INVENTORY_FULFILMENT_FAILED.name(), p, "EXCEEDS_RESERVATION", o, q,
                order.held.getOrDefault(p, 0L)));
            return;
        }
        final TreeMap<String, Long> left = new TreeMap<>(order.held);
        shipped.forEach((p, q) -> {
            final Product product = products.get(p);
            take(product, o, q);
            product.onHand -= q;
            emit(Topics.INVENTORY_FULFILLED.name(), p, q, o, product.onHand);
            left.merge(p, -q, Long::sum);
            left.remove(p, 0L);
        });
        order.shipped = true;
        if (left.isEmpty()) {
            order.holdNothing();
            order.status = "FULFILLED";
        } else {
            order.held = left;
        }
    }

    /** The wall clock passed every reservation's TTL: each reserved order is released, in orderId order. */
    void expireAll() {
        new TreeMap<>(orders).forEach((o, order) -> {
            if (order.status.equals("RESERVED") && !order.held.isEmpty()) {
                order.held.forEach((p, q) -> release(o, p, q, "EXPIRED"));
                order.holdNothing();
                order.status = "EXPIRED";
            }
        });
    }

    private void reserve(final String o, final Order order, final TreeMap<String, Long> increases,
                         final TreeMap<String, Long> target, final boolean create) {
        final TreeMap<String, String> refused = new TreeMap<>();
        increases.forEach((p, q) -> {
            final Product product = products.get(p);
            if (product == null || !product.exists) {
                refused.put(p, "UNKNOWN_PRODUCT");
            } else if (q > product.available()) {
                refused.put(p, "INSUFFICIENT_STOCK");
            }
        });
        if (refused.isEmpty()) {
            increases.forEach((p, q) -> {
                final Product product = products.get(p);
                product.reservations.merge(o, q, Long::sum);
                emit(Topics.INVENTORY_RESERVED.name(), p, q, o, product.available());
            });
            decreases(order.held, target).forEach((p, q) -> release(o, p, q, "UPDATED"));
            order.held = new TreeMap<>(target);
            order.status = "RESERVED";
            return;
        }
        refused.forEach((p, reason) -> {
            if (reason.equals("INSUFFICIENT_STOCK")) {
                emit(Topics.INVENTORY_INSUFFICIENT.name(), p, increases.get(p), products.get(p).available(), o);
            }
            emit(Topics.INVENTORY_RESERVATION_FAILED.name(), p, reason, o);
        });
        if (create) {
            order.status = "FAILED";
        }
    }

    private void release(final String o, final String p, final long quantity, final String reason) {
        final Product product = products.get(p);
        take(product, o, quantity);
        emit(Topics.INVENTORY_RELEASED.name(), p, quantity, o, product.available(), reason);
    }

    private static void take(final Product product, final String o, final long quantity) {
        final long left = product.reservations.get(o) - quantity;
        if (left == 0) {
            product.reservations.remove(o);
        } else {
            product.reservations.put(o, left);
        }
    }

    private void failAll(final String o, final Set<String> products, final String reason) {
        products.forEach(p -> emit(Topics.INVENTORY_RESERVATION_FAILED.name(), p, reason, o));
    }

    private static TreeMap<String, Long> decreases(final Map<String, Long> held, final Map<String, Long> target) {
        final TreeMap<String, Long> decreases = new TreeMap<>();
        held.forEach((p, q) -> {
            final long delta = q - target.getOrDefault(p, 0L);
            if (delta > 0) {
                decreases.put(p, delta);
            }
        });
        return decreases;
    }

    /** Lines as the contract reads them: one product's lines summed, any non-positive line makes it invalid. */
    private record Lines(TreeMap<String, Long> valid, TreeSet<String> invalid) {
        static Lines of(final List<Map.Entry<String, Long>> raw) {
            final TreeMap<String, Long> valid = new TreeMap<>();
            final TreeSet<String> invalid = new TreeSet<>();
            for (final Map.Entry<String, Long> line : raw) {
                if (line.getValue() <= 0) {
                    invalid.add(line.getKey());
                } else {
                    valid.merge(line.getKey(), line.getValue(), Long::sum);
                }
            }
            invalid.forEach(valid::remove);
            return new Lines(valid, invalid);
        }

        Set<String> all() {
            final TreeSet<String> all = new TreeSet<>(valid.keySet());
            all.addAll(invalid);
            return all;
        }
    }
}
