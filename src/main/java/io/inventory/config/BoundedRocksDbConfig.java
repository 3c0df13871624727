package io.inventory.config;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the process: one LRU block cache shared by all stores, with
 * index and filter blocks in it, and a write buffer manager that charges the memtables to that same cache. Without
 * it each store (one per task and store) gets its own cache and memtables, and RSS grows with the number of tasks.
 *
 * <p>This is the pattern of the Kafka Streams memory-management docs: the cache and the manager are static and
 * shared by every store of the JVM, created once from the first configuration seen, and {@link #close} leaves them
 * alone because other stores still use them. The sizes come from {@link #BLOCK_CACHE_MB_CONFIG} and
 * {@link #WRITE_BUFFER_MB_CONFIG} in the Streams configuration ({@code ROCKSDB_BLOCK_CACHE_MB},
 * {@code ROCKSDB_WRITE_BUFFER_MB} in {@link ServiceConfig}).
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

    public static final String BLOCK_CACHE_MB_CONFIG = "inventory.rocksdb.block.cache.mb";
    public static final String WRITE_BUFFER_MB_CONFIG = "inventory.rocksdb.write.buffer.mb";
    public static final int DEFAULT_BLOCK_CACHE_MB = 64;
    public static final int DEFAULT_WRITE_BUFFER_MB = 16;
    /** Share of the cache kept for index and filter blocks, so data blocks cannot evict them. */
    private static final double INDEX_FILTER_RATIO = 0.1;
    private static final long MB = 1024L * 1024L;
    private static final long BLOCK_SIZE = 16 * 1024L;
    private static final int MEMTABLES_PER_STORE = 2;

    private static Shared shared;

    /** The configured sizes. */
    public record Sizes(int blockCacheMb, int writeBufferMb) {

        public Sizes {
            if (blockCacheMb < 1) {
                throw new ConfigException("ROCKSDB_BLOCK_CACHE_MB: must be at least 1, got " + blockCacheMb);
            }
            if (writeBufferMb < 1 || writeBufferMb > blockCacheMb) {
                throw new ConfigException("ROCKSDB_WRITE_BUFFER_MB: must be from 1 to ROCKSDB_BLOCK_CACHE_MB ("
                    + blockCacheMb + "), got " + writeBufferMb);
            }
        }

        /** Reads the sizes from the Streams configuration given to a config setter; defaults where absent. */
        public static Sizes from(final Map<String, ?> configs) {
            return new Sizes(megabytes(configs, BLOCK_CACHE_MB_CONFIG, "ROCKSDB_BLOCK_CACHE_MB",
                DEFAULT_BLOCK_CACHE_MB), megabytes(configs, WRITE_BUFFER_MB_CONFIG, "ROCKSDB_WRITE_BUFFER_MB",
                DEFAULT_WRITE_BUFFER_MB));
        }

        private static int megabytes(final Map<String, ?> configs, final String key, final String name,
                                     final int fallback) {
            final Object value = configs.get(key);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value.toString().trim());
            } catch (final NumberFormatException e) {
                throw new ConfigException(name + ": must be an integer, got '" + value + "'");
            }
        }
    }

    /** The process-wide cache and write buffer manager; never closed, they live as long as the JVM. */
    private record Shared(Sizes sizes, Cache cache, WriteBufferManager writeBufferManager) {
    }

    private static synchronized Shared shared(final Sizes sizes) {
        if (shared == null) {
            final Cache cache = new LRUCache(sizes.blockCacheMb() * MB, -1, false, INDEX_FILTER_RATIO);
            shared = new Shared(sizes, cache, new WriteBufferManager(sizes.writeBufferMb() * MB, cache));
        }
        return shared;
    }

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        final Shared memory = shared(Sizes.from(configs));
        final BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_SIZE);
        options.setWriteBufferManager(memory.writeBufferManager());
        // Memtables are charged to the shared cache; a store's own limit keeps one store from taking it all.
        options.setWriteBufferSize(Math.max(MB, memory.sizes().writeBufferMb() * MB / 4));
        options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(final String storeName, final Options options) {
        // The cache and the write buffer manager are shared by every store of the process: not closed here.
    }
}
