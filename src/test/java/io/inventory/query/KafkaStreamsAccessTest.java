package io.inventory.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production {@link StateAccess} on a real client that is never started (so no broker is needed): before the
 * client runs, Kafka Streams throws where the query layer expects "no owner" and "no hosts".
 */
class KafkaStreamsAccessTest {

    @TempDir
    Path stateDir;

    private KafkaStreams streams;
    private KafkaStreamsAccess access;

    @BeforeEach
    void create() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.table("products", Consumed.with(Serdes.String(), Serdes.String()),
            Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(Topics.INVENTORY_STORE));
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "access-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:8080");
        streams = new KafkaStreams(builder.build(), props);
        access = new KafkaStreamsAccess(streams);
    }

    @AfterEach
    void close() {
        streams.close(Duration.ofSeconds(5));
    }

    @Test
    void shouldReportTheClientState() {
        assertThat(access.state()).isEqualTo(KafkaStreams.State.CREATED);
    }

    @Test
    void shouldNameNoOwnerBeforeTheClientRuns() {
        assertThat(access.keyMetadata(QueryableStore.INVENTORY, "p-1")).isEqualTo(KeyQueryMetadata.NOT_AVAILABLE);
    }

    @Test
    void shouldListNoActiveHostBeforeTheClientRuns() {
        assertThat(access.activeHosts(QueryableStore.INVENTORY)).isEmpty();
    }

    @Test
    void shouldRefuseLocalStoresBeforeTheClientRuns() {
        assertThatThrownBy(() -> access.localStore(QueryableStore.INVENTORY))
            .isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> access.localStore(QueryableStore.INVENTORY, 0))
            .isInstanceOf(InvalidStateStoreException.class);
    }

    @Test
    void shouldNameNoOwnerOnceTheClientIsClosed() {
        streams.close(Duration.ofSeconds(5));

        assertThat(access.keyMetadata(QueryableStore.INVENTORY, "p-1")).isEqualTo(KeyQueryMetadata.NOT_AVAILABLE);
        assertThat(access.activeHosts(QueryableStore.INVENTORY)).isEmpty();
    }
}
