package io.inventory.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class BoundedRocksDbConfigTest {

    @Test
    void shouldUseTheDefaultSizesWhenNoneIsConfigured() {
        // when
        final BoundedRocksDbConfig.Sizes sizes = BoundedRocksDbConfig.Sizes.from(Map.of());

        // then
        assertThat(sizes).isEqualTo(new BoundedRocksDbConfig.Sizes(BoundedRocksDbConfig.DEFAULT_BLOCK_CACHE_MB,
            BoundedRocksDbConfig.DEFAULT_WRITE_BUFFER_MB));
    }

    @Test
    void shouldReadTheSizesAsStreamsPassesThemToTheSetter() {
        // given: ServiceConfig puts integers, a properties file would give strings
        final Map<String, Object> configs = Map.of(BoundedRocksDbConfig.BLOCK_CACHE_MB_CONFIG, 128,
            BoundedRocksDbConfig.WRITE_BUFFER_MB_CONFIG, " 32 ");

        // then
        assertThat(BoundedRocksDbConfig.Sizes.from(configs)).isEqualTo(new BoundedRocksDbConfig.Sizes(128, 32));
    }

    @Test
    void shouldRejectAWriteBufferLargerThanTheCacheItIsChargedTo() {
        assertThatThrownBy(() -> ServiceConfig.from(Map.of("ROCKSDB_BLOCK_CACHE_MB", "8",
            "ROCKSDB_WRITE_BUFFER_MB", "16")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("ROCKSDB_WRITE_BUFFER_MB: must be from 1 to ROCKSDB_BLOCK_CACHE_MB (8), got 16");
    }

    @Test
    void shouldRejectANonNumericSize() {
        assertThatThrownBy(() -> BoundedRocksDbConfig.Sizes.from(Map.of(BoundedRocksDbConfig.BLOCK_CACHE_MB_CONFIG,
            "lots")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("ROCKSDB_BLOCK_CACHE_MB: must be an integer, got 'lots'");
    }

    @Test
    void shouldWireTheSetterIntoStreamsByDefault() {
        // when
        final Properties props = ServiceConfig.from(Map.of("ROCKSDB_BLOCK_CACHE_MB", "96")).streamsProperties();

        // then
        assertThat(props)
            .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName())
            .containsEntry(BoundedRocksDbConfig.BLOCK_CACHE_MB_CONFIG, 96)
            .containsEntry(BoundedRocksDbConfig.WRITE_BUFFER_MB_CONFIG, BoundedRocksDbConfig.DEFAULT_WRITE_BUFFER_MB);
        assertThat(new StreamsConfig(props).getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
            .isEqualTo(BoundedRocksDbConfig.class);
    }

    @Test
    void shouldKeepRocksDbDefaultsWhenTheCacheSizeIsZero() {
        // when
        final Properties props = ServiceConfig.from(Map.of("ROCKSDB_BLOCK_CACHE_MB", "0")).streamsProperties();

        // then
        assertThat(props).doesNotContainKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)
            .doesNotContainKey(BoundedRocksDbConfig.BLOCK_CACHE_MB_CONFIG);
    }
}
