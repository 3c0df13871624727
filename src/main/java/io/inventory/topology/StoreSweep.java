package io.inventory.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A purge that visits a store in bounded steps: each {@link #step} reads at most {@code entriesPerStep} entries,
 * from where the last step stopped, and deletes those the predicate selects; after the last key the next step
 * starts over at the first. So a step costs the same however large the store is. The position is kept in memory
 * only: after a restart or a rebalance the sweep starts from the first key again, which costs one more pass.
 */
final class StoreSweep<V> {

    private final int entriesPerStep;
    /** The key the next step starts at; {@code null}: the first key. */
    private String next;

    StoreSweep(final int entriesPerStep) {
        if (entriesPerStep < 1) {
            throw new IllegalArgumentException("a step must read at least one entry");
        }
        this.entriesPerStep = entriesPerStep;
    }

    /** Reads the next entries of {@code store} and deletes those that are {@code purgeable}. */
    void step(final KeyValueStore<String, V> store, final Predicate<V> purgeable) {
        final List<String> purged = new ArrayList<>();
        String after = null;
        try (KeyValueIterator<String, V> entries = store.range(next, null)) {
            for (int read = 0; entries.hasNext(); read++) {
                if (read == entriesPerStep) {
                    after = entries.peekNextKey();
                    break;
                }
                final KeyValue<String, V> entry = entries.next();
                if (purgeable.test(entry.value)) {
                    purged.add(entry.key);
                }
            }
        }
        purged.forEach(store::delete);
        next = after;
    }
}
