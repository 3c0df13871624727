package io.inventory.domain;

import java.util.function.Function;

/**
 * One case of a sealed type and the function for it: the {@code case} of a pattern {@code switch}, which Java 17
 * does not have. A sealed type's {@code match} takes one function per case, so that the compiler makes every
 * caller handle every case, and pairs each with its case here, once, next to the cases themselves.
 */
record Case<T, R>(Class<T> type, Function<? super T, ? extends R> function) {

    /**
     * The function of {@code value}'s case applied to it. A case left out of {@code cases} fails here, by name,
     * rather than falling through to another case's function.
     */
    @SafeVarargs
    static <R> R match(final Object value, final Case<?, ? extends R>... cases) {
        for (final Case<?, ? extends R> candidate : cases) {
            if (candidate.type.isInstance(value)) {
                return candidate.applyTo(value);
            }
        }
        throw new IllegalStateException("no case for " + value.getClass().getName());
    }

    private R applyTo(final Object value) {
        return function.apply(type.cast(value));
    }
}
