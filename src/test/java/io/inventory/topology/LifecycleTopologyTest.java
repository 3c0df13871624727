package io.inventory.topology;

import static io.inventory.topology.Envelopes.lines;
import static io.inventory.topology.Envelopes.orderCancelled;
import static io.inventory.topology.Envelopes.orderCreated;
import static io.inventory.topology.Envelopes.orderFulfilled;
import static io.inventory.topology.Envelopes.orderUpdated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inventory.domain.EventKind;
import io.inventory.domain.InventoryItem;
import io.inventory.domain.OrderStatus;
import io.inventory.domain.ProductState;
import io.inventory.metrics.LifecycleCounters;
import io.inventory.metrics.PublishedEventCounters;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract's "Reservation lifecycle" through the production topology in a {@code TopologyTestDriver}:
 * fulfilment (whole, partial, refused), release reasons, expiry on the wall clock and decisions that never complete.
 */
class LifecycleTopologyTest {

    private TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void restart(final Map<String, String> env) {
        fixture.close();
        fixture = new TopologyFixture(env);
    }

    private void stock(final String productId, final long quantity) {
        fixture.stock(productId, quantity);
    }

    /** {@code product:quantity:reason} of each release, in order. */
    private List<String> releases() {
        return fixture.read(Topics.INVENTORY_RELEASED).stream()
            .map(event -> event.get("payload").get("aggregateId").asText() + ":"
                + event.get("payload").get("quantity").asLong() + ":" + event.get("payload").get("reason").asText())
            .toList();
    }

    private OrderStatus status(final String orderId) {
        return fixture.ordersStore().get(orderId).status();
    }

    private List<String> dueEntries() {
        final List<String> keys = new java.util.ArrayList<>();
        try (var all = fixture.dueStore().all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    /** onHand = available + reserved + held, and available is never negative. */
    private void assertStockExact(final String productId) {
        final ProductState state = fixture.stock(productId);
        assertThat(state.available()).isNotNegative();
        assertThat(state.onHand()).isEqualTo(state.available() + state.reserved() + state.held());
    }

    @Nested
    class Fulfilment {

        @Test
        void shouldShipEverythingHeldWhenTheFulfilmentNamesNoItems() {
            stock("p1", 10);
            stock("p2", 4);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 3, "p2", 1)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", Map.of()));

            final List<JsonNode> fulfilled = fixture.read(Topics.INVENTORY_FULFILLED);
            assertThat(fulfilled).extracting(event -> event.get("eventType").asText())
                .containsOnly("InventoryItemFulfilledEvent");
            assertThat(fulfilled).extracting(event -> event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("quantity").asLong() + ":onHand="
                    + event.get("payload").get("onHand").asLong() + ":"
                    + event.get("metadata").get("causationId").asText())
                .containsExactly("p1:3:onHand=7:f1", "p2:1:onHand=3:f1");
            assertThat(fixture.nothingPublished()).as("inventory.fulfilled only, no inventory.updated").isTrue();
            assertThat(fixture.stock("p1").onHand()).isEqualTo(7);
            assertThat(fixture.stock("p1").reserved()).isZero();
            assertThat(fixture.stock("p1").available()).as("available does not change").isEqualTo(7);
            assertThat(fixture.share("p1", "o1")).as("the order's share is gone").isNull();
            assertThat(fixture.share("p2", "o1")).isNull();
            assertThat(status("o1")).isEqualTo(OrderStatus.FULFILLED);
            assertThat(fixture.ordersStore().get("o1").fulfilled()).containsExactly(Map.entry("p1", 3L),
                Map.entry("p2", 1L));
            assertThat(fixture.counter(PublishedEventCounters.FULFILLED_UNITS)).isEqualTo(4.0);
            assertThat(fixture.counter(EventKind.FULFILLED.metricName())).isEqualTo(2.0);
        }

        @Test
        void shouldShipPartOfAnOrderThenReleaseTheRestOnCancel() {
            stock("p1", 10);
            stock("p2", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5, "p2", 2)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 3)));
            assertThat(fixture.read(Topics.INVENTORY_FULFILLED)).singleElement()
                .satisfies(event -> assertThat(event.get("payload").get("quantity").asLong()).isEqualTo(3));
            assertThat(status("o1")).isEqualTo(OrderStatus.RESERVED);
            assertThat(fixture.ordersStore().get("o1").reserved()).containsExactly(Map.entry("p1", 2L),
                Map.entry("p2", 2L));

            fixture.send(Topics.ORDER_CANCELLED, orderCancelled("c1", "o1"));

            assertThat(releases()).containsExactly("p1:2:CANCELLED", "p2:2:CANCELLED");
            assertThat(fixture.stock("p1").onHand()).isEqualTo(7);
            assertThat(fixture.stock("p1").available()).isEqualTo(7);
            assertThat(fixture.stock("p2").available()).isEqualTo(10);
            assertStockExact("p1");
            assertStockExact("p2");
        }

        @Test
        void shouldRefuseTheWholeFulfilmentWhenAnyProductAsksMoreThanTheOrderHolds() {
            stock("p1", 10);
            stock("p2", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5, "p2", 2)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 1, "p2", 3, "p9", 1)));

            assertThat(fixture.read(Topics.INVENTORY_FULFILMENT_FAILED))
                .extracting(event -> event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("reason").asText() + ":" + event.get("payload").get("requested")
                    + "/" + event.get("payload").get("reserved"))
                .containsExactly("p2:EXCEEDS_RESERVATION:3/2", "p9:EXCEEDS_RESERVATION:1/0");
            assertThat(fixture.nothingPublished()).as("nothing fulfilled, not even p1").isTrue();
            assertThat(fixture.stock("p1").onHand()).isEqualTo(10);
            assertThat(fixture.stock("p1").reserved()).isEqualTo(5);
        }

        @Test
        void shouldApplyADuplicateFulfilmentOnce() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 2)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 2)));

            assertThat(fixture.nothingPublished()).isTrue();
            assertThat(fixture.stock("p1").onHand()).isEqualTo(8);
            assertThat(fixture.stock("p1").reserved()).isEqualTo(3);
        }

        @Test
        void shouldRefuseAfterTheOrderShippedAndIgnoreALaterCancel() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", Map.of()));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_CANCELLED, orderCancelled("c1", "o1"));
            assertThat(fixture.nothingPublished()).isTrue();
            assertThat(status("o1")).isEqualTo(OrderStatus.FULFILLED);

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f2", "o1", Map.of()));
            assertThat(fixture.read(Topics.INVENTORY_FULFILMENT_FAILED)).singleElement()
                .satisfies(event -> {
                    assertThat(event.get("payload").get("aggregateId").asText())
                        .as("the product it held before it shipped").isEqualTo("p1");
                    assertThat(event.get("payload").get("reason").asText()).isEqualTo("ORDER_FULFILLED");
                });

            fixture.send(Topics.ORDER_UPDATED, orderUpdated("u1", "o1", lines("p1", 6, "p2", 1)));
            assertThat(fixture.read(Topics.INVENTORY_RESERVATION_FAILED))
                .extracting(event -> event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("reason").asText())
                .containsExactly("p1:ORDER_FULFILLED", "p2:ORDER_FULFILLED");
            assertThat(fixture.stock("p1").onHand()).isEqualTo(5);
            assertStockExact("p1");
        }

        @Test
        void shouldRefuseAnUpdateOfAPartlyShippedOrder() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 1)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_UPDATED, orderUpdated("u1", "o1", lines("p1", 2)));

            assertThat(fixture.read(Topics.INVENTORY_RESERVATION_FAILED)).singleElement()
                .satisfies(event -> assertThat(event.get("payload").get("reason").asText())
                    .isEqualTo("ORDER_FULFILLED"));
            assertThat(fixture.nothingPublished()).isTrue();
            assertThat(fixture.stock("p1").reserved()).isEqualTo(4);
        }

        @Test
        void shouldAnswerAFulfilmentOfAnUnknownOrderKeyedByTheOrderId() {
            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o-unknown", Map.of()));

            final List<TestRecord<byte[], byte[]>> records = fixture.readRecords(Topics.INVENTORY_FULFILMENT_FAILED);
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("o-unknown");
                final JsonNode payload = TopologyFixture.json(record.value()).get("payload");
                assertThat(payload.has("aggregateId")).isTrue();
                assertThat(payload.get("aggregateId").isNull()).isTrue();
                assertThat(payload.get("reason").asText()).isEqualTo("UNKNOWN_ORDER");
                assertThat(payload.get("orderId").asText()).isEqualTo("o-unknown");
            });
        }

        @Test
        void shouldAnswerAFulfilmentOfACancelledOrderOnTheProductsItNames() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.send(Topics.ORDER_CANCELLED, orderCancelled("c1", "o1"));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p7", 1)));

            assertThat(fixture.read(Topics.INVENTORY_FULFILMENT_FAILED)).singleElement()
                .satisfies(event -> assertThat(event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("reason").asText()).isEqualTo("p7:ORDER_CANCELLED"));
        }

        @Test
        void shouldDeadLetterAFulfilmentWithABadQuantityAndAnswerNothing() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 0)));

            assertThat(fixture.readRecords(Topics.INVENTORY_DLQ)).singleElement()
                .satisfies(record -> assertThat(new String(record.headers().lastHeader(DeadLetters.REASON).value(),
                    StandardCharsets.UTF_8)).isEqualTo("INVALID_QUANTITY"));
            assertThat(fixture.nothingPublished()).isTrue();
            assertThat(fixture.stock("p1").reserved()).isEqualTo(5);
        }
    }

    @Nested
    class ReleaseReasons {

        @Test
        void shouldSayWhyUnitsWereReleased() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_UPDATED, orderUpdated("u1", "o1", lines("p1", 3)));
            assertThat(releases()).containsExactly("p1:2:UPDATED");

            fixture.send(Topics.ORDER_CANCELLED, orderCancelled("c1", "o1"));
            assertThat(releases()).containsExactly("p1:3:CANCELLED");
        }
    }

    @Nested
    class Expiry {

        private static final Duration TTL = Duration.ofMinutes(1);

        @Test
        void shouldNeverExpireWhenNoTtlIsSet() {
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.drainPayloads();

            fixture.advanceWallClock(Duration.ofDays(30));

            assertThat(fixture.nothingPublished()).isTrue();
            assertThat(status("o1")).isEqualTo(OrderStatus.RESERVED);
        }

        @Test
        void shouldReleaseAReservationOnceItOutlivesTheTtl() {
            restart(Map.of("RESERVATION_TTL", TTL.toString()));
            stock("p1", 10);
            stock("p2", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5, "p2", 1)));
            fixture.drainPayloads();

            fixture.advanceWallClock(TTL.minusSeconds(2));
            assertThat(fixture.nothingPublished()).as("not yet due").isTrue();

            fixture.advanceWallClock(Duration.ofSeconds(3));
            final List<JsonNode> released = fixture.read(Topics.INVENTORY_RELEASED);
            assertThat(released).extracting(event -> event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("quantity").asLong() + ":"
                    + event.get("payload").get("reason").asText() + ":"
                    + event.get("metadata").get("causationId").asText())
                .containsExactly("p1:5:EXPIRED:e1", "p2:1:EXPIRED:e1");
            assertThat(status("o1")).isEqualTo(OrderStatus.EXPIRED);
            assertThat(fixture.counter(LifecycleCounters.EXPIRED_RESERVATIONS)).as("one per order").isEqualTo(1.0);
            assertThat(fixture.stock("p1").available()).isEqualTo(10);
            assertThat(fixture.share("p1", "o1")).isNull();
            assertThat(dueEntries()).as("only the expired order's purge is left in the due index")
                .singleElement().satisfies(key -> assertThat(key).endsWith("|o1"));

            fixture.send(Topics.ORDER_CANCELLED, orderCancelled("c1", "o1"));
            assertThat(fixture.nothingPublished()).as("a cancel of an expired order emits nothing").isTrue();
            assertThat(status("o1")).isEqualTo(OrderStatus.EXPIRED);

            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", Map.of()));
            assertThat(fixture.read(Topics.INVENTORY_FULFILMENT_FAILED))
                .extracting(event -> event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("reason").asText())
                .containsExactly("p1:RESERVATION_EXPIRED", "p2:RESERVATION_EXPIRED");
        }

        @Test
        void shouldRestartTheClockOnAnAppliedChangeAndReserveAnExpiredOrderAnewOnUpdate() {
            restart(Map.of("RESERVATION_TTL", TTL.toString()));
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.drainPayloads();
            fixture.advanceWallClock(Duration.ofSeconds(40));
            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f1", "o1", lines("p1", 1)));
            fixture.drainPayloads();

            fixture.advanceWallClock(Duration.ofSeconds(40));
            assertThat(fixture.nothingPublished()).as("the partial fulfilment restarted the clock").isTrue();

            fixture.advanceWallClock(Duration.ofSeconds(25));
            assertThat(releases()).containsExactly("p1:4:EXPIRED");

            restart(Map.of("RESERVATION_TTL", TTL.toString()));
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o2", lines("p1", 5)));
            fixture.drainPayloads();
            fixture.advanceWallClock(TTL.plusSeconds(2));
            fixture.drainPayloads();

            fixture.send(Topics.ORDER_UPDATED, orderUpdated("u1", "o2", lines("p1", 7)));

            assertThat(fixture.read(Topics.INVENTORY_RESERVED)).singleElement()
                .satisfies(event -> assertThat(event.get("payload").get("quantity").asLong())
                    .as("an expired order is reserved anew, all its lines").isEqualTo(7));
            assertThat(status("o2")).isEqualTo(OrderStatus.RESERVED);
            assertStockExact("p1");
        }

        @Test
        void shouldGiveAnExpiryReleaseAnIdOfItsOwnBesideAnUpdatesRelease() {
            restart(Map.of("RESERVATION_TTL", TTL.toString()));
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 5)));
            fixture.drainPayloads();
            fixture.send(Topics.ORDER_UPDATED, orderUpdated("u1", "o1", lines("p1", 3)));
            final JsonNode updateRelease = fixture.read(Topics.INVENTORY_RELEASED).get(0);

            fixture.advanceWallClock(TTL.plusSeconds(2));

            final JsonNode expiryRelease = fixture.read(Topics.INVENTORY_RELEASED).get(0);
            assertThat(expiryRelease.get("metadata").get("causationId").asText()).isEqualTo("u1");
            assertThat(expiryRelease.get("eventId").asText()).isNotEqualTo(updateRelease.get("eventId").asText());
        }
    }

    @Nested
    class Purge {

        @Test
        void shouldForgetSettledOrdersOnTheWallClockAfterTheRetentionAndKeepReservedOnes() {
            restart(Map.of("RETENTION", "PT1H"));
            stock("p1", 10);
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 2)));
            fixture.send(Topics.ORDER_CREATED, orderCreated("e2", "o2", lines("p1", 2)));
            fixture.send(Topics.ORDER_FULFILLED, orderFulfilled("f2", "o2", Map.of()));
            fixture.send(Topics.ORDER_CANCELLED, orderCancelled("c3", "o3"));
            fixture.drainPayloads();

            fixture.advanceWallClock(Duration.ofMinutes(59));
            assertThat(fixture.ordersStore().get("o2")).as("not yet").isNotNull();

            fixture.advanceWallClock(Duration.ofMinutes(2));

            assertThat(fixture.ordersStore().get("o2")).as("fulfilled, forgotten").isNull();
            assertThat(fixture.ordersStore().get("o3")).as("a cancel marker, forgotten").isNull();
            assertThat(fixture.ordersStore().get("o1")).as("reserved, kept").isNotNull();
            assertThat(dueEntries()).as("nothing indexed for a reservation that never expires").isEmpty();
            assertThat(fixture.nothingPublished()).isTrue();
        }
    }

    @Nested
    class DecisionTimeout {

        /** Makes the stock task throw on p2's next hold, so the hold's answer never comes (a lost request). */
        private void loseTheNextHoldOfP2() {
            fixture.inventoryStore().put("p2", new ProductState(new InventoryItem("p2", "Widget", "Acme",
                BigDecimal.ONE, "EUR", 10), 0, -10, List.of(), 0));
        }

        private void repairP2() {
            fixture.inventoryStore().put("p2", ProductState.of(new InventoryItem("p2", "Widget", "Acme",
                BigDecimal.ONE, "EUR", 10)));
        }

        @Test
        void shouldAbandonADecisionWhoseHoldWasLost() {
            stock("p1", 10);
            stock("p2", 10);
            loseTheNextHoldOfP2();
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 2, "p2", 1)));
            fixture.readRecords(Topics.INVENTORY_DLQ);
            assertThat(fixture.nothingPublished()).isTrue();
            assertThat(fixture.ordersStore().get("o1").pending()).as("waiting for p2").isNotNull();
            assertThat(fixture.stock("p1").held()).isEqualTo(2);
            // A later hold of p2 is answered: p2's task is past o1's hold, which is lost, not late.
            repairP2();
            fixture.advanceWallClock(Duration.ofSeconds(1));
            fixture.send(Topics.ORDER_CREATED, orderCreated("e2", "o2", lines("p2", 1)));
            fixture.drainPayloads();

            fixture.advanceWallClock(Duration.ofSeconds(30));

            assertThat(fixture.read(Topics.INVENTORY_RESERVATION_FAILED))
                .extracting(event -> event.get("payload").get("aggregateId").asText() + ":"
                    + event.get("payload").get("reason").asText() + ":"
                    + event.get("metadata").get("causationId").asText())
                .containsExactly("p2:DECISION_TIMEOUT:e1");
            assertThat(fixture.nothingPublished()).as("no reservation announced").isTrue();
            assertThat(status("o1")).isEqualTo(OrderStatus.FAILED);
            assertThat(fixture.counter(LifecycleCounters.TIMED_OUT_DECISIONS)).isEqualTo(1.0);
            assertThat(fixture.ordersStore().get("o1").pending()).isNull();
            assertThat(fixture.stock("p1").held()).as("p1's granted hold is aborted").isZero();
            assertThat(fixture.stock("p1").available()).isEqualTo(10);
            assertThat(fixture.stock("p2").available()).as("o2 keeps its unit").isEqualTo(9);
        }

        @Test
        void shouldWaitLongerForAnAnswerThatMayBeLateAndAbandonAfterTenTimeouts() {
            stock("p1", 10);
            stock("p2", 10);
            loseTheNextHoldOfP2();
            fixture.send(Topics.ORDER_CREATED, orderCreated("e1", "o1", lines("p1", 2, "p2", 1)));
            fixture.readRecords(Topics.INVENTORY_DLQ);

            fixture.advanceWallClock(Duration.ofSeconds(31));
            assertThat(fixture.ordersStore().get("o1").pending())
                .as("no sign yet that p2's task is past the hold: it may only be behind").isNotNull();

            fixture.advanceWallClock(Duration.ofSeconds(270));

            assertThat(fixture.read(Topics.INVENTORY_RESERVATION_FAILED)).singleElement()
                .satisfies(event -> assertThat(event.get("payload").get("reason").asText())
                    .isEqualTo("DECISION_TIMEOUT"));
            assertThat(status("o1")).isEqualTo(OrderStatus.FAILED);
            assertThat(fixture.stock("p1").held()).isZero();
        }
    }
}
