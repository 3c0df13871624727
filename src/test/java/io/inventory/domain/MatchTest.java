package io.inventory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The sealed domain types' {@code match}: each case reaches its own function, and no case is left out. */
class MatchTest {

    private static final Cause CAUSE = Cause.of("e1", "corr-1", "user-1");

    @Test
    void shouldMatchEveryOrderEventToItsOwnFunction() {
        assertEachCaseMatchesItsPosition(OrderEvent.class, List.of(
                new OrderEvent.Placed("e1", "o1", "user-1", Map.of("p1", 1L), List.of(), CAUSE),
                new OrderEvent.Changed("e2", "o1", "user-1", Map.of("p1", 2L), List.of(), CAUSE),
                new OrderEvent.Cancelled("e3", "o1", "user-1", "no longer wanted", CAUSE),
                new OrderEvent.Fulfilled("e4", "o1", "user-1", Map.of(), CAUSE)),
            event -> event.match(placed -> 0, changed -> 1, cancelled -> 2, fulfilled -> 3));
    }

    @Test
    void shouldMatchEveryStockRequestToItsOwnFunction() {
        assertEachCaseMatchesItsPosition(StockRequest.class, List.of(
                new StockRequest.Hold("o1", "p1", 1, 2, false, "user-1", CAUSE),
                new StockRequest.Confirm("o1", "p1", 1, "user-1", CAUSE),
                new StockRequest.Abort("o1", "p1", 1, 2, CAUSE),
                new StockRequest.Release("o1", "p1", 2, StockRequest.Release.ALL, ReleaseReason.CANCELLED, CAUSE),
                new StockRequest.Fulfil("o1", "p1", 3, 2, CAUSE)),
            request -> request.match(hold -> 0, confirm -> 1, abort -> 2, release -> 3, fulfil -> 4));
    }

    @Test
    void shouldMatchEveryInventoryCommandToItsOwnFunction() {
        assertEachCaseMatchesItsPosition(InventoryCommand.class, List.of(
                new InventoryCommand.CreateItem("c1", "p1", "Widget", "Acme", 10, BigDecimal.ONE, "EUR", CAUSE),
                new InventoryCommand.UpdateItem("c2", "p1", null, null, 7L, null, null, CAUSE),
                new InventoryCommand.DeleteItem("c3", "p1", CAUSE),
                new InventoryCommand.AdjustStock("c4", "p1", -1, CAUSE)),
            command -> command.match(create -> 0, update -> 1, delete -> 2, adjust -> 3));
    }

    /**
     * {@code oneOfEach} holds a value of every case of {@code sealed}, in the order of {@code match}'s functions, and
     * {@code match} answers each function's position: each value must reach the function at its own position.
     */
    private static <T> void assertEachCaseMatchesItsPosition(final Class<T> sealed, final List<T> oneOfEach,
                                                             final Function<T, Integer> match) {
        assertThat(oneOfEach).extracting(Object::getClass)
            .containsExactlyInAnyOrder(sealed.getPermittedSubclasses());
        assertThat(oneOfEach).extracting(match)
            .containsExactlyElementsOf(IntStream.range(0, oneOfEach.size()).boxed().toList());
    }
}
