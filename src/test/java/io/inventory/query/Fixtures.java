package io.inventory.query;

import io.inventory.domain.Allocation;
import io.inventory.domain.Cause;
import io.inventory.domain.InventoryItem;
import io.inventory.domain.OrderState;
import io.inventory.domain.OrderStatus;
import io.inventory.domain.PendingStep;
import io.inventory.domain.ProductState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Store values for query and HTTP tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** 10 on hand, 3 reserved for order o-1, 2 held for order o-2: 5 available. */
    public static ProductState product(final String productId) {
        return new ProductState(new InventoryItem(productId, "Trail shoe " + productId, "Acme",
                new BigDecimal("89.90"), "EUR", 10), 3, 2, List.of(), 0L);
    }

    public static ProductState deleted(final String productId) {
        return product(productId).deleted(1_000L);
    }

    public static OrderState reservedOrder(final String orderId) {
        return new OrderState(orderId, "user-1", true, OrderStatus.RESERVED, Map.of("p-1", 2L, "p-2", 1L), 1L, null,
            List.of(), List.of(), 0L, Map.of(), List.of(), 0L, null);
    }

    public static OrderState pendingOrder(final String orderId) {
        final PendingStep pending = new PendingStep(PendingStep.Kind.CREATE, 1L, Map.of("p-1", 2L),
            Map.of("p-1", 2L), Map.of(), Cause.of("e-1", null, "user-1"), null, 0L);
        return new OrderState(orderId, "user-1", true, OrderStatus.NEW, Map.of(), 1L, pending, List.of(), List.of(),
            0L, Map.of(), List.of(), 0L, null);
    }
}
