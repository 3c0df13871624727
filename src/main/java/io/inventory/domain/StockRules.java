package io.inventory.domain;

import java.util.List;

/**
 * The rules of one product's stock: item commands and the order side's hold / confirm / abort / release / fulfil
 * requests.
 * Pure functions of (state, input); the caller owns the store and guarantees that all inputs for one product
 * are applied one at a time, in one place, which is what makes check-and-hold race free.
 */
public final class StockRules {

    private StockRules() {
    }

    /**
     * Applies an item command. {@code state} is {@code null} for a product never seen; {@code now} stamps deletes.
     */
    public static StockOutcome apply(final ProductState state, final InventoryCommand command, final long now) {
        if (state != null && state.hasSeen(command.commandId())) {
            return StockOutcome.unchanged();
        }
        final boolean exists = state != null && state.exists();
        if (!exists && !(command instanceof InventoryCommand.CreateItem)) {
            return reject(state, command, RejectionReason.UNKNOWN_PRODUCT);
        }
        return command.match(
            create -> exists ? reject(state, create, RejectionReason.PRODUCT_EXISTS) : create(state, create),
            update -> update(state, update),
            delete -> delete(state, delete, now),
            adjust -> adjust(state, adjust));
    }

    private static StockOutcome create(final ProductState previous, final InventoryCommand.CreateItem create) {
        if (!Limits.isValidStock(create.quantity())) {
            return reject(previous, create, RejectionReason.INVALID_QUANTITY);
        }
        if (create.price() != null && create.price().signum() < 0) {
            return reject(previous, create, RejectionReason.INVALID_PRICE);
        }
        final InventoryItem item = new InventoryItem(create.productId(), create.title(), create.brand(),
            create.price(), create.currency(), create.quantity());
        final ProductState base = previous == null ? ProductState.of(item) : previous.withItem(item);
        return StockOutcome.write(base.remembering(create.commandId()),
            new Emitted(new InventoryEvent.ItemCreated(item.productId(), item.title(), item.brand(), item.onHand(),
                item.price(), item.currency()), create.cause()));
    }

    private static StockOutcome update(final ProductState state, final InventoryCommand.UpdateItem update) {
        final InventoryItem item = state.item();
        final long onHand = update.quantity() == null ? item.onHand() : update.quantity();
        if (!Limits.isValidStock(onHand)) {
            return reject(state, update, RejectionReason.INVALID_QUANTITY);
        }
        if (update.price() != null && update.price().signum() < 0) {
            return reject(state, update, RejectionReason.INVALID_PRICE);
        }
        if (onHand < state.reserved() + state.held()) {
            return reject(state, update, RejectionReason.RESERVATIONS_UNCOVERED);
        }
        final InventoryItem updated = new InventoryItem(item.productId(),
            update.title() == null ? item.title() : update.title(),
            update.brand() == null ? item.brand() : update.brand(),
            update.price() == null ? item.price() : update.price(),
            update.currency() == null ? item.currency() : update.currency(),
            onHand);
        return changed(state.withItem(updated).remembering(update.commandId()), update.cause());
    }

    private static StockOutcome adjust(final ProductState state, final InventoryCommand.AdjustStock adjust) {
        // Limits keep both terms within 10^12, so the sum cannot overflow.
        final long onHand = state.onHand() + adjust.delta();
        if (!Limits.isValidDelta(adjust.delta()) || !Limits.isValidStock(onHand)) {
            return reject(state, adjust, RejectionReason.INVALID_QUANTITY);
        }
        if (onHand < state.reserved() + state.held()) {
            return reject(state, adjust, RejectionReason.RESERVATIONS_UNCOVERED);
        }
        return changed(state.withItem(state.item().withOnHand(onHand)).remembering(adjust.commandId()), adjust.cause());
    }

    private static StockOutcome delete(final ProductState state, final InventoryCommand.DeleteItem delete,
                                       final long now) {
        if (state.reserved() + state.held() > 0) {
            return reject(state, delete, RejectionReason.RESERVATIONS_UNCOVERED);
        }
        return StockOutcome.write(state.deleted(now).remembering(delete.commandId()),
            new Emitted(new InventoryEvent.ItemDeleted(delete.productId()), delete.cause()));
    }

    private static StockOutcome changed(final ProductState state, final Cause cause) {
        final InventoryItem item = state.item();
        return StockOutcome.write(state, new Emitted(new InventoryEvent.ItemUpdated(item.productId(), item.title(),
            item.brand(), item.onHand(), item.price(), item.currency(), state.reserved(), state.available()), cause));
    }

    /**
     * A rejection is remembered like an applied command when the product has state, so a redelivery is silent;
     * for a product never seen there is nowhere to remember it, and a redelivery is rejected again.
     */
    private static StockOutcome reject(final ProductState state, final InventoryCommand command,
                                       final RejectionReason reason) {
        return StockOutcome.write(state == null ? null : state.remembering(command.commandId()),
            new Emitted(new InventoryEvent.CommandRejected(command.productId(), command.commandId(),
                command.commandType(), reason), command.cause()));
    }

    /**
     * Applies a request from the order side. {@code state} is {@code null} for a product never seen; {@code share}
     * is what the requesting order has of the product ({@link OrderShare#NONE} when nothing).
     */
    public static StockOutcome handle(final ProductState state, final OrderShare share, final StockRequest request) {
        if (state == null && !(request instanceof StockRequest.Hold)) {
            // A product never seen holds nothing for anyone; only a hold gets an answer (a refusal).
            return StockOutcome.unchanged();
        }
        return request.match(hold -> hold(state, share, hold), confirm -> confirm(state, share, confirm),
            abort -> abort(state, share, abort), release -> release(state, share, release),
            fulfil -> fulfil(state, share, fulfil));
    }

    private static StockOutcome hold(final ProductState state, final OrderShare share, final StockRequest.Hold hold) {
        if (state == null || !state.exists()) {
            return StockOutcome.reply(StockReply.refused(hold, FailureReason.UNKNOWN_PRODUCT, 0));
        }
        final Allocation existing = share.held();
        final Allocation reserved = share.reserved();
        if (existing != null && existing.step() >= hold.step()
            || reserved != null && reserved.step() >= hold.step()) {
            // A redelivered hold (still held, or already confirmed): answer as before, count nothing twice.
            return StockOutcome.reply(StockReply.granted(hold, state.available()));
        }
        // An older hold of the same order is replaced: its units count as available to this one.
        final long replaced = share.heldUnits();
        final long available = state.available() + replaced;
        if (hold.quantity() > available) {
            return StockOutcome.reply(StockReply.refused(hold, FailureReason.INSUFFICIENT_STOCK, available));
        }
        if (!hold.atOnce()) {
            final ProductState next = state.withTotals(state.reserved(), state.held() - replaced + hold.quantity());
            return StockOutcome.allocate(next, share.withHeld(new Allocation(hold.quantity(), hold.step())),
                List.of(StockReply.granted(hold, next.available())));
        }
        final ProductState next = state.withTotals(state.reserved() + hold.quantity(), state.held() - replaced);
        return StockOutcome.allocate(next, reserve(share, hold.quantity(), hold.step()).withHeld(null),
            List.of(StockReply.granted(hold, next.available())),
            new Emitted(new InventoryEvent.Reserved(hold.productId(), hold.quantity(), hold.orderId(), hold.userId(),
                next.available()), hold.cause()));
    }

    /** The order's share with {@code quantity} more units reserved, stamped with {@code step}. */
    private static OrderShare reserve(final OrderShare share, final long quantity, final long step) {
        return share.withReserved(new Allocation(quantity + share.reservedUnits(), step));
    }

    private static StockOutcome confirm(final ProductState state, final OrderShare share,
                                        final StockRequest.Confirm confirm) {
        final Allocation hold = share.held();
        // A zero-unit hold is the fence of a revoked step: nothing to confirm (a confirm meets one only when it is
        // delivered again, under at-least-once).
        if (hold == null || hold.step() != confirm.step() || hold.quantity() == 0) {
            return StockOutcome.unchanged();
        }
        final ProductState next = state.withTotals(state.reserved() + hold.quantity(),
            state.held() - hold.quantity());
        return StockOutcome.allocate(next, reserve(share, hold.quantity(), confirm.step()).withHeld(null), List.of(),
            new Emitted(new InventoryEvent.Reserved(confirm.productId(), hold.quantity(), confirm.orderId(),
                confirm.userId(), next.available()), confirm.cause()));
    }

    private static StockOutcome abort(final ProductState state, final OrderShare share,
                                      final StockRequest.Abort abort) {
        final Allocation hold = share.held();
        if (hold != null && hold.step() == abort.step()) {
            // A zero-unit hold is the fence of a revoked step (below): it stays, however often the abort comes.
            return hold.quantity() == 0
                ? StockOutcome.unchanged()
                : StockOutcome.allocate(state.withTotals(state.reserved(), state.held() - hold.quantity()),
                    share.withHeld(null), List.of());
        }
        final Allocation reserved = share.reserved();
        if (hold == null && reserved != null && reserved.step() == abort.step()) {
            return revokeAtOnce(state, share, abort, reserved);
        }
        return StockOutcome.unchanged();
    }

    /**
     * The order abandoned a step ({@code DECISION_TIMEOUT}) whose one hold reached this owner late and was reserved
     * at once and announced: the reservation is given back, announced too. When the order keeps units of the
     * product from an earlier step, a zero-unit hold of the step is left behind as a fence, so that this abort
     * delivered again (at-least-once) finds the step settled and gives back nothing more; when it keeps none, the
     * share is deleted, and a redelivered abort finds nothing to give back.
     */
    private static StockOutcome revokeAtOnce(final ProductState state, final OrderShare share,
                                             final StockRequest.Abort abort, final Allocation reserved) {
        final long quantity = Math.min(abort.quantity(), reserved.quantity());
        final long left = reserved.quantity() - quantity;
        final OrderShare nextShare = left == 0
            ? OrderShare.NONE
            : new OrderShare(new Allocation(left, abort.step()), new Allocation(0, abort.step()));
        final ProductState next = state.withTotals(state.reserved() - quantity, state.held());
        return StockOutcome.allocate(next, nextShare, List.of(), new Emitted(new InventoryEvent.Released(
            abort.productId(), quantity, abort.orderId(), next.available(), ReleaseReason.DECISION_TIMEOUT),
            abort.cause()));
    }

    private static StockOutcome fulfil(final ProductState state, final OrderShare share,
                                       final StockRequest.Fulfil fulfil) {
        final Allocation reserved = share.reserved();
        if (reserved == null || reserved.step() >= fulfil.step() || !state.exists()) {
            return StockOutcome.unchanged();
        }
        final long quantity = Math.min(fulfil.quantity(), reserved.quantity());
        final long left = reserved.quantity() - quantity;
        final OrderShare nextShare = share.withReserved(left == 0 ? null : new Allocation(left, fulfil.step()));
        // Shipped units leave the shelf and the reservation together: available does not move.
        final ProductState next = state.withItem(state.item().withOnHand(state.onHand() - quantity))
            .withTotals(state.reserved() - quantity, state.held());
        return StockOutcome.allocate(next, nextShare, List.of(), new Emitted(new InventoryEvent.Fulfilled(
            fulfil.productId(), quantity, fulfil.orderId(), next.onHand()), fulfil.cause()));
    }

    private static StockOutcome release(final ProductState state, final OrderShare share,
                                        final StockRequest.Release release) {
        final Allocation reserved = share.reserved();
        if (reserved == null || reserved.step() >= release.step()) {
            return StockOutcome.unchanged();
        }
        final long quantity = release.quantity() == StockRequest.Release.ALL
            ? reserved.quantity()
            : Math.min(release.quantity(), reserved.quantity());
        final long left = reserved.quantity() - quantity;
        final OrderShare nextShare = share.withReserved(left == 0 ? null : new Allocation(left, release.step()));
        final ProductState next = state.withTotals(state.reserved() - quantity, state.held());
        if (quantity == 0) {
            return StockOutcome.allocate(next, nextShare, List.of());
        }
        return StockOutcome.allocate(next, nextShare, List.of(), new Emitted(new InventoryEvent.Released(
            release.productId(), quantity, release.orderId(), next.available(), release.reason()), release.cause()));
    }
}
