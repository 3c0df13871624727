package io.inventory.topology;

import java.util.function.Function;

/**
 * A value of one of two kinds, {@code A} or {@code B}: the shape of the tasks' inputs ({@link OrderInput},
 * {@link StockInput}), written once. An input's cases are records that implement {@link First} or {@link Second},
 * which supply {@link #match}.
 */
public interface OneOf<A, B> {

    /**
     * The one function of the value's case applied to it. Each case is a {@link First} or a {@link Second} and
     * every caller names a function per case, so the compiler checks that both sides handle every case (Java 17
     * has no pattern switch).
     */
    <R> R match(Function<A, R> onFirst, Function<B, R> onSecond);

    /** The case of an {@code A}. */
    interface First<A, B> extends OneOf<A, B> {

        A value();

        @Override
        default <R> R match(final Function<A, R> onFirst, final Function<B, R> onSecond) {
            return onFirst.apply(value());
        }
    }

    /** The case of a {@code B}. */
    interface Second<A, B> extends OneOf<A, B> {

        B value();

        @Override
        default <R> R match(final Function<A, R> onFirst, final Function<B, R> onSecond) {
            return onSecond.apply(value());
        }
    }
}
