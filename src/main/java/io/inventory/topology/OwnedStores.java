package io.inventory.topology;

import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** A task's processor together with the stores it owns, which the builder connects to it and backs by changelogs. */
final class OwnedStores {

    private OwnedStores() {
    }

    static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> supplier(
        final Supplier<Processor<KIn, VIn, KOut, VOut>> processor, final StoreBuilder<?>... stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                return processor.get();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(stores);
            }
        };
    }

    /** A persistent key-value store keyed by strings; its changelog is {@code <application.id>-<name>-changelog}. */
    static <V> StoreBuilder<KeyValueStore<String, V>> persistent(final String name, final Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
