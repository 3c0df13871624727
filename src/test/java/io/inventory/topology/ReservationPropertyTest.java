package io.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.domain.OrderState;
import io.inventory.domain.OrderStatus;
import io.inventory.domain.OrderShare;
import io.inventory.domain.ProductState;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random event sequences (item commands, creates, updates, cancels, cancels before creates, fulfilments whole and
 * partial, expiries, restocks, redeliveries, poison records) through the production topology. After every step: no product below zero available, on-hand
 * equals available plus reserved, nothing left held, every order holds all its lines or none, cancelled orders
 * hold nothing, and the published events equal what {@link ReservationModel} predicts.
 *
 * <p>Seeded: a failure names its seed and sequence, and {@code -Dproperty.seed=...} replays it.
 * {@code -Dproperty.sequences=N} runs more.
 */
class ReservationPropertyTest {

    private static final Logger LOG = LoggerFactory.getLogger(ReservationPropertyTest.class);
    private static final int PRODUCTS = 3;
    private static final int ORDERS = 5;
    private static final int STEPS = 40;
    private static final Duration TTL = Duration.ofMinutes(1);

    @Test
    void shouldKeepStockExactAndMatchTheModelForRandomEventSequences() {
        final long seed = Long.getLong("property.seed", System.nanoTime());
        final int sequences = Integer.getInteger("property.sequences", 1_000);
        long steps = 0;
        long events = 0;
        try (TopologyFixture fixture = new TopologyFixture(Map.of("RESERVATION_TTL", TTL.toString()))) {
            for (int sequence = 0; sequence < sequences; sequence++) {
                final Run run = new Run(fixture, new Random(seed + sequence), "s" + sequence + "-");
                for (int step = 0; step < STEPS; step++) {
                    final String description = run.step();
                    final String context = "seed=" + seed + " sequence=" + sequence + " step=" + step + " "
                        + description;
                    events += run.checkOutputs(context);
                    run.checkInvariants(context);
                    steps++;
                }
            }
        }
        LOG.info("Property test: {} sequences, {} steps, {} published events checked (seed {})", sequences, steps,
            events, seed);
        assertThat(steps).isEqualTo((long) sequences * STEPS);
    }

    /** One sequence: its own products and orders, so sequences share a driver without touching each other. */
    private static final class Run {
        private final TopologyFixture fixture;
        private final Random random;
        private final String prefix;
        private final ReservationModel model = new ReservationModel();
        private final List<Sent> sent = new ArrayList<>();
        private int eventNumber;
        private int expectedDeadLetters;

        private record Sent(Topic<String, byte[]> topic, byte[] value, Runnable apply, boolean deadLetters,
                            String description) {
        }

        Run(final TopologyFixture fixture, final Random random, final String prefix) {
            this.fixture = fixture;
            this.random = random;
            this.prefix = prefix;
        }

        private String product() {
            return random.nextInt(20) == 0 ? prefix + "ghost" : prefix + "p" + random.nextInt(PRODUCTS);
        }

        private String order() {
            return prefix + "o" + random.nextInt(ORDERS);
        }

        private String nextId() {
            return prefix + "e" + eventNumber++;
        }

        private List<Map.Entry<String, Long>> lines() {
            final List<Map.Entry<String, Long>> lines = new ArrayList<>();
            final int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                final long quantity = random.nextInt(25) == 0 ? 0 : 1 + random.nextInt(4);
                lines.add(new AbstractMap.SimpleEntry<>(product(), quantity));
            }
            return lines;
        }


        private static byte[] orderEnvelope(final String eventId, final String type, final String orderId,
                                            final List<Map.Entry<String, Long>> lines) {
            final var payload = Envelopes.orderPayload(orderId, Map.of());
            final var items = payload.withArray("items");
            lines.forEach(line -> items.addObject().put("productId", line.getKey()).put("quantity", line.getValue()));
            return Envelopes.envelope(eventId, type, payload);
        }

        private static boolean hasInvalid(final List<Map.Entry<String, Long>> lines) {
            return lines.stream().anyMatch(line -> line.getValue() <= 0);
        }

        String step() {
            final int roll = random.nextInt(100);
            final Sent next;
            if (roll < 2) {
                // Every reservation is younger than the wall clock's last move, so all of them fall due together.
                fixture.advanceWallClock(TTL.plusSeconds(1));
                model.expireAll();
                expectedDeadLetters = 0;
                return "wall clock past the TTL";
            }
            if (roll < 10 && !sent.isEmpty()) {
                final Sent again = sent.get(random.nextInt(sent.size()));
                next = new Sent(again.topic, again.value, again.apply, again.deadLetters, "redelivery of "
                    + again.description);
            } else if (roll < 13) {
                final byte[] poison = new byte[1 + random.nextInt(40)];
                random.nextBytes(poison);
                poison[0] = (byte) '{';
                next = new Sent(Topics.INBOUND.get(random.nextInt(Topics.INBOUND.size())), poison, () -> { }, true,
                    "poison");
            } else {
                next = fresh(roll);
                sent.add(next);
            }
            fixture.send(next.topic, next.value);
            next.apply.run();
            expectedDeadLetters = next.deadLetters ? 1 : 0;
            return next.description;
        }

        private Sent fresh(final int roll) {
            final String id = nextId();
            final String p = product();
            if (roll < 23) {
                final long quantity = random.nextInt(9);
                return new Sent(Topics.INVENTORY_COMMANDS, Envelopes.createItem(id, p, quantity),
                    () -> model.create(id, p, quantity), false, "create " + p + " " + quantity);
            }
            if (roll < 31) {
                final long delta = random.nextInt(11) - 4;
                return new Sent(Topics.INVENTORY_COMMANDS, Envelopes.adjustStock(id, p, delta),
                    () -> model.adjust(id, p, delta), false, "adjust " + p + " " + delta);
            }
            if (roll < 35) {
                final long quantity = random.nextInt(11);
                return new Sent(Topics.INVENTORY_COMMANDS, Envelopes.updateItem(id, p, quantity, null),
                    () -> model.update(id, p, quantity), false, "update " + p + " " + quantity);
            }
            if (roll < 37) {
                return new Sent(Topics.INVENTORY_COMMANDS, Envelopes.deleteItem(id, p), () -> model.delete(id, p),
                    false, "delete " + p);
            }
            final String o = order();
            if (roll < 65) {
                final List<Map.Entry<String, Long>> lines = lines();
                return new Sent(Topics.ORDER_CREATED, orderEnvelope(id, "OrderCreatedEvent", o, lines),
                    () -> model.orderCreated(id, o, lines), hasInvalid(lines), "order.created " + o + " " + lines);
            }
            if (roll < 78) {
                final List<Map.Entry<String, Long>> lines = lines();
                return new Sent(Topics.ORDER_UPDATED, orderEnvelope(id, "OrderUpdatedEvent", o, lines),
                    () -> model.orderUpdated(id, o, lines), hasInvalid(lines), "order.updated " + o + " " + lines);
            }
            if (roll < 88) {
                final List<Map.Entry<String, Long>> lines = random.nextInt(3) == 0 ? List.of() : lines();
                final byte[] value = lines.isEmpty()
                    ? Envelopes.orderFulfilled(id, o, Map.of())
                    : orderEnvelope(id, "OrderFulfilledEvent", o, lines);
                return new Sent(Topics.ORDER_FULFILLED, value, () -> model.orderFulfilled(id, o, lines),
                    hasInvalid(lines), "order.fulfilled " + o + " " + lines);
            }
            return new Sent(Topics.ORDER_CANCELLED, Envelopes.orderCancelled(id, o), () -> model.orderCancelled(id, o),
                false, "order.cancelled " + o);
        }

        /** Compares the published events with the model's; returns how many were compared. */
        int checkOutputs(final String context) {
            final Map<String, List<String>> actual = new TreeMap<>();
            fixture.drainPayloads().forEach((topic, payloads) -> {
                final List<String> lines = new ArrayList<>();
                // An expiry also releases the reservations of earlier sequences, which share the driver.
                payloads.stream().map(payload -> canonical(topic, payload))
                    .filter(line -> line.startsWith(prefix) || line.contains(":" + prefix)).forEach(lines::add);
                if (!lines.isEmpty()) {
                    actual.put(topic, lines);
                }
            });
            assertThat(actual).as(context).isEqualTo(model.drainExpected());
            assertThat(fixture.readRecords(Topics.INVENTORY_DLQ)).as(context + " dead letters")
                .hasSize(expectedDeadLetters);
            return actual.values().stream().mapToInt(List::size).sum();
        }

        /** Every product a sequence can touch, the rarely created "ghost" included. */
        private List<String> products() {
            final List<String> products = new ArrayList<>();
            for (int i = 0; i < PRODUCTS; i++) {
                products.add(prefix + "p" + i);
            }
            products.add(prefix + "ghost");
            return products;
        }

        void checkInvariants(final String context) {
            for (final String p : products()) {
                final ProductState state = fixture.stock(p);
                if (state == null) {
                    continue;
                }
                assertThat(state.available()).as(context + " available of " + p).isGreaterThanOrEqualTo(0);
                assertThat(state.held()).as(context + " held of " + p).isZero();
                assertThat(state.onHand()).as(context + " onHand of " + p)
                    .isEqualTo(state.available() + state.reserved());
                if (state.exists()) {
                    assertThat(state.onHand()).as(context + " onHand of " + p + " vs model").isEqualTo(model.onHand(p));
                }
            }
            final Map<String, Long> sharesByProduct = new TreeMap<>();
            try (var all = fixture.allocationsStore().all()) {
                // The fixture is shared by every sequence: only this one's products count here.
                all.forEachRemaining(entry -> products().stream()
                    .filter(p -> entry.key.startsWith(p.length() + ":" + p)).findFirst()
                    .ifPresent(p -> sharesByProduct.merge(p, entry.value.reservedUnits() + entry.value.heldUnits(),
                        Long::sum)));
            }
            for (final String p : products()) {
                final ProductState state = fixture.stock(p);
                assertThat(sharesByProduct.getOrDefault(p, 0L)).as(context + " orders' shares of " + p)
                    .isEqualTo(state == null ? 0L : state.reserved() + state.held());
            }
            for (int i = 0; i < ORDERS; i++) {
                final String o = prefix + "o" + i;
                final OrderState order = fixture.ordersStore().get(o);
                final Map<String, Long> reservedInStock = new TreeMap<>();
                for (final String p : products()) {
                    final OrderShare share = fixture.share(p, o);
                    if (share != null) {
                        assertThat(share.held()).as(context + " held share of " + o + " in " + p).isNull();
                        reservedInStock.put(p, share.reservedUnits());
                    }
                }
                if (order == null || order.status() != OrderStatus.RESERVED) {
                    assertThat(reservedInStock).as(context + " stock held by unreserved order " + o).isEmpty();
                } else {
                    assertThat(order.pending()).as(context + " pending " + o).isNull();
                    assertThat(reservedInStock).as(context + " all lines of " + o).isEqualTo(order.reserved());
                }
                assertThat(order == null ? Map.of() : order.reserved()).as(context + " held by " + o + " vs model")
                    .isEqualTo(model.held(o));
            }
        }

        private static String canonical(final String topic, final JsonNode payload) {
            final String p = payload.get("aggregateId").asText();
            if (topic.equals(Topics.INVENTORY_RELEASED.name())) {
                return p + ":" + payload.get("quantity").asLong() + ":"
                    + payload.get("orderId").asText() + ":" + payload.get("available").asLong() + ":"
                    + payload.get("reason").asText();
            }
            if (topic.equals(Topics.INVENTORY_FULFILLED.name())) {
                return p + ":" + payload.get("quantity").asLong() + ":"
                    + payload.get("orderId").asText() + ":" + payload.get("onHand").asLong();
            }
            if (topic.equals(Topics.INVENTORY_FULFILMENT_FAILED.name())) {
                return p + ":" + payload.get("reason").asText() + ":"
                    + payload.get("orderId").asText()
                    + (payload.has("requested") ? ":" + payload.get("requested").asLong() + ":"
                    + payload.get("reserved").asLong() : "");
            }
            if (topic.equals(Topics.INVENTORY_CREATED.name())) {
                return p + ":" + payload.get("quantity").asLong();
            }
            if (topic.equals(Topics.INVENTORY_UPDATED.name())) {
                return p + ":" + payload.get("quantity").asLong() + ":"
                    + payload.get("reserved").asLong() + ":" + payload.get("available").asLong();
            }
            if (topic.equals(Topics.INVENTORY_DELETED.name())) {
                return p;
            }
            if (topic.equals(Topics.INVENTORY_RESERVED.name())) {
                return p + ":" + payload.get("quantity").asLong()
                    + ":" + payload.get("orderId").asText() + ":" + payload.get("available").asLong();
            }
            if (topic.equals(Topics.INVENTORY_INSUFFICIENT.name())) {
                return p + ":" + payload.get("requested").asLong() + ":"
                    + payload.get("available").asLong() + ":" + payload.get("orderId").asText();
            }
            if (topic.equals(Topics.INVENTORY_RESERVATION_FAILED.name())) {
                return p + ":" + payload.get("reason").asText() + ":"
                    + payload.get("orderId").asText();
            }
            if (topic.equals(Topics.INVENTORY_COMMANDS_REJECTED.name())) {
                return p + ":" + payload.get("commandId").asText() + ":"
                    + payload.get("reason").asText();
            }
            throw new IllegalArgumentException(topic);
        }
    }
}
