package io.inventory.it;

import static io.inventory.it.Wire.count;
import static io.inventory.it.Wire.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.app.InventoryService;
import io.inventory.config.ServiceConfig;
import io.inventory.testing.EmbeddedKafka;
import io.inventory.topology.DeadLetters;
import io.inventory.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The service end to end on a real KRaft broker (one per class), exactly-once, three partitions: real producers
 * in, {@code read_committed} consumers out. Each test uses its own product and order ids.
 */
class ServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Short enough to watch an expiry, long enough that the other tests' orders settle well before. */
    private static final Duration TTL = Duration.ofSeconds(15);
    private static EmbeddedKafka kafka;
    private static InventoryService service;
    private static Wire wire;

    @BeforeAll
    static void start() throws InterruptedException {
        final Path work = Path.of("target", "it", "service-" + UUID.randomUUID());
        kafka = EmbeddedKafka.start(work.resolve("kafka"));
        service = InventoryService.start(ServiceConfig.from(Map.of(
            "KAFKA_BROKERS", kafka.bootstrapServers(),
            "APPLICATION_ID", "service-it",
            "STATE_DIR", work.resolve("state").toString(),
            "HTTP_PORT", "0",
            "TOPIC_PARTITIONS", "3",
            "RESERVATION_TTL", TTL.toString())));
        service.awaitRunning(WAIT);
        wire = new Wire(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (wire != null) {
            wire.close();
        }
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void item(final String productId, final long quantity) {
        wire.send(Topics.INVENTORY_COMMANDS, productId, Fixtures.createItem(productId, quantity));
    }

    @Test
    void shouldTurnItemCommandsIntoItemEvents() {
        item("it-a", 5);
        wire.send(Topics.INVENTORY_COMMANDS, "it-a", Fixtures.adjust("it-a", 3));
        wire.send(Topics.INVENTORY_COMMANDS, "it-a", Fixtures.delete("it-a"));
        final var events = wire.awaitUntil(count(Topics.INVENTORY_DELETED, e -> e.key().equals("it-a"), 1), WAIT);

        assertThat(on(events, Topics.INVENTORY_CREATED, e -> e.key().equals("it-a"))).singleElement()
            .satisfies(e -> assertThat(e.number("quantity")).isEqualTo(5));
        assertThat(on(events, Topics.INVENTORY_UPDATED, e -> e.key().equals("it-a"))).singleElement()
            .satisfies(e -> assertThat(e.number("quantity")).isEqualTo(8));
    }

    @Test
    void shouldReserveSingleAndMultiLineOrdersAllOrNothingAcrossPartitions() {
        for (int i = 0; i < 6; i++) {
            item("it-m" + i, i == 5 ? 1 : 10);
        }
        wire.send(Topics.ORDER_CREATED, "it-o1", Fixtures.order("it-o1", Map.of("it-m0", 2)));
        wire.send(Topics.ORDER_CREATED, "it-o2", Fixtures.order("it-o2",
            Map.of("it-m1", 1, "it-m2", 2, "it-m3", 3, "it-m4", 4)));
        wire.send(Topics.ORDER_CREATED, "it-o3", Fixtures.order("it-o3",
            Map.of("it-m1", 1, "it-m2", 1, "it-m3", 1, "it-m5", 2)));

        final var events = wire.awaitUntil(count(Topics.INVENTORY_RESERVATION_FAILED,
            e -> e.text("orderId").equals("it-o3"), 1), WAIT);
        final var settled = wire.settle(Duration.ofSeconds(3));

        assertThat(on(settled, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-o1"))).hasSize(1);
        assertThat(on(settled, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-o2")))
            .extracting(e -> e.key() + "=" + e.number("quantity"))
            .containsExactlyInAnyOrder("it-m1=1", "it-m2=2", "it-m3=3", "it-m4=4");
        assertThat(on(settled, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-o3"))).isEmpty();
        assertThat(on(events, Topics.INVENTORY_INSUFFICIENT, e -> e.text("orderId").equals("it-o3")))
            .singleElement().satisfies(e -> {
                assertThat(e.key()).isEqualTo("it-m5");
                assertThat(e.number("available")).isEqualTo(1);
            });
    }

    @Test
    void shouldReleaseOnCancelAndMoveReservationsOnUpdate() {
        item("it-c1", 10);
        item("it-c2", 10);
        wire.send(Topics.ORDER_CREATED, "it-c", Fixtures.order("it-c", Map.of("it-c1", 2, "it-c2", 2)));
        wire.awaitUntil(count(Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-c"), 2), WAIT);
        wire.send(Topics.ORDER_UPDATED, "it-c", Fixtures.update("it-c", Map.of("it-c1", 5)));
        wire.awaitUntil(count(Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-c"), 1), WAIT);
        wire.send(Topics.ORDER_CANCELLED, "it-c", Fixtures.cancel("it-c"));
        final var events = wire.awaitUntil(count(Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-c"), 2),
            WAIT);

        assertThat(on(events, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-c")))
            .extracting(e -> e.key() + "=" + e.number("quantity"))
            .containsExactlyInAnyOrder("it-c1=2", "it-c2=2", "it-c1=3");
        assertThat(on(events, Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-c")))
            .extracting(e -> e.key() + "=" + e.number("quantity") + ":" + e.text("reason"))
            .containsExactly("it-c2=2:UPDATED", "it-c1=5:CANCELLED");
    }

    @Test
    void shouldGiveACancelThatRacesItsCreateOneCoherentOutcome() {
        item("it-r1", 10);
        item("it-r2", 10);
        wire.send(Topics.ORDER_CREATED, "it-r", Fixtures.order("it-r", Map.of("it-r1", 1, "it-r2", 1)));
        wire.send(Topics.ORDER_UPDATED, "it-r", Fixtures.update("it-r", Map.of("it-r1", 3)));
        wire.send(Topics.ORDER_CANCELLED, "it-r", Fixtures.cancel("it-r"));
        final var events = wire.awaitUntil(all -> !on(all, Topics.INVENTORY_RESERVATION_FAILED,
            e -> e.text("orderId").equals("it-r")).isEmpty() || on(all, Topics.INVENTORY_RELEASED,
            e -> e.text("orderId").equals("it-r")).size() >= 1, WAIT);
        final var settled = wire.settle(Duration.ofSeconds(3));

        // Whatever the interleaving, what was reserved for the order is exactly what was released.
        final long reserved = on(settled, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-r")).stream()
            .mapToLong(e -> e.number("quantity")).sum();
        final long released = on(settled, Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-r")).stream()
            .mapToLong(e -> e.number("quantity")).sum();
        assertThat(events).isNotEmpty();
        assertThat(released).isEqualTo(reserved);
    }

    @Test
    void shouldApplyADuplicateDeliveryOnce() {
        item("it-d1", 10);
        final byte[] order = Fixtures.order("it-d", Map.of("it-d1", 4));
        wire.send(Topics.ORDER_CREATED, "it-d", order);
        wire.send(Topics.ORDER_CREATED, "it-d", order);
        wire.awaitUntil(count(Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-d"), 1), WAIT);
        final var settled = wire.settle(Duration.ofSeconds(3));
        assertThat(on(settled, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-d"))).hasSize(1);
    }

    @Test
    void shouldDeadLetterAPoisonRecordAndKeepProcessingLaterRecords() {
        item("it-p1", 3);
        final byte[] poison = "{\"this is\": not json".getBytes(StandardCharsets.UTF_8);
        wire.send(Topics.ORDER_CREATED, "poison-key", poison);
        wire.send(Topics.ORDER_CREATED, "it-p", Fixtures.order("it-p", Map.of("it-p1", 1)));

        final var events = wire.awaitUntil(count(Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-p"), 1),
            WAIT);
        final List<Wire.Event> dead = on(events, Topics.INVENTORY_DLQ, e -> "poison-key".equals(e.key()));
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.raw().value()).isEqualTo(poison);
            assertThat(new String(letter.raw().headers().lastHeader(DeadLetters.REASON).value(),
                StandardCharsets.UTF_8)).isEqualTo("NOT_JSON");
            assertThat(new String(letter.raw().headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo(Topics.ORDER_CREATED.name());
        });
    }

    @Test
    void shouldShipAWholeOrder() {
        item("it-f1", 10);
        item("it-f2", 10);
        wire.send(Topics.ORDER_CREATED, "it-f", Fixtures.order("it-f", Map.of("it-f1", 3, "it-f2", 1)));
        wire.awaitUntil(count(Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-f"), 2), WAIT);

        wire.send(Topics.ORDER_FULFILLED, "it-f", Fixtures.fulfil("it-f", Map.of()));
        wire.awaitUntil(count(Topics.INVENTORY_FULFILLED, e -> e.text("orderId").equals("it-f"), 2), WAIT);
        final var settled = wire.settle(Duration.ofSeconds(3));

        assertThat(on(settled, Topics.INVENTORY_FULFILLED, e -> e.text("orderId").equals("it-f")))
            .extracting(e -> e.key() + "=" + e.number("quantity") + " onHand " + e.number("onHand"))
            .containsExactlyInAnyOrder("it-f1=3 onHand 7", "it-f2=1 onHand 9");
        assertThat(on(settled, Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-f")))
            .as("a shipped order does not expire").isEmpty();
        assertThat(on(settled, Topics.INVENTORY_UPDATED, e -> e.key().startsWith("it-f"))).isEmpty();
        assertThat(on(settled, Topics.INVENTORY_FULFILMENT_FAILED, e -> e.text("orderId").equals("it-f"))).isEmpty();
    }

    @Test
    void shouldShipPartOfAnOrderThenReleaseTheRestOnCancel() {
        item("it-g1", 10);
        wire.send(Topics.ORDER_CREATED, "it-g", Fixtures.order("it-g", Map.of("it-g1", 5)));
        wire.awaitUntil(count(Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-g"), 1), WAIT);
        wire.send(Topics.ORDER_FULFILLED, "it-g", Fixtures.fulfil("it-g", Map.of("it-g1", 2)));
        // The order topics are separate: the cancel waits for the fulfilment's answer, as the contract asks.
        wire.awaitUntil(count(Topics.INVENTORY_FULFILLED, e -> e.text("orderId").equals("it-g"), 1), WAIT);
        wire.send(Topics.ORDER_CANCELLED, "it-g", Fixtures.cancel("it-g"));
        final var events = wire.awaitUntil(count(Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-g"), 1),
            WAIT);

        assertThat(on(events, Topics.INVENTORY_FULFILLED, e -> e.text("orderId").equals("it-g"))).singleElement()
            .satisfies(e -> {
                assertThat(e.number("quantity")).isEqualTo(2);
                assertThat(e.number("onHand")).isEqualTo(8);
            });
        assertThat(on(events, Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-g"))).singleElement()
            .satisfies(e -> {
                assertThat(e.number("quantity")).isEqualTo(3);
                assertThat(e.text("reason")).isEqualTo("CANCELLED");
                assertThat(e.number("available")).isEqualTo(8);
            });
    }

    @Test
    void shouldReleaseAReservationThatOutlivesTheTtl() {
        item("it-x1", 10);
        wire.send(Topics.ORDER_CREATED, "it-x", Fixtures.order("it-x", Map.of("it-x1", 4)));
        final var reserved = wire.awaitUntil(count(Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-x"), 1),
            WAIT);
        final var events = wire.awaitUntil(count(Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-x"), 1),
            WAIT);

        final Wire.Event reservation = on(reserved, Topics.INVENTORY_RESERVED, e -> e.text("orderId").equals("it-x"))
            .get(0);
        final Wire.Event release = on(events, Topics.INVENTORY_RELEASED, e -> e.text("orderId").equals("it-x")).get(0);
        assertThat(release.text("reason")).isEqualTo("EXPIRED");
        assertThat(release.number("quantity")).isEqualTo(4);
        assertThat(release.envelope().get("metadata").get("causationId").asText())
            .isEqualTo(reservation.envelope().get("metadata").get("causationId").asText());
        final long delay = Instant.parse(release.envelope().get("timestamp").asText()).toEpochMilli()
            - Instant.parse(reservation.envelope().get("timestamp").asText()).toEpochMilli();
        LoggerFactory.getLogger(ServiceIT.class).info("Expiry: TTL {} ms, reserved to released {} ms", TTL.toMillis(),
            delay);
        assertThat(delay).as("released within TTL plus the larger of a tenth of it and 5 s").isBetween(TTL.toMillis() - 1_000,
            TTL.toMillis() + 5_000);
    }
}
