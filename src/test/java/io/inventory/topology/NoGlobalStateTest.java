package io.inventory.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The topology has no global stores or tables. Kafka Streams 4.4 applies the processing exception handler (and so
 * the dead letter topic) to global processing only behind the deprecated
 * {@code processing.exception.handler.global.enabled}, which the service does not set, and {@code KnownNoiseFilter}
 * drops the warning about it. A global store would make both choices wrong: this test is where that shows.
 */
class NoGlobalStateTest {

    @Test
    void shouldHaveNoGlobalStores() {
        // when
        final TopologyDescription description = InventoryTopology.build(
            new TopologySettings("inventory-service-group", 3, Duration.ofDays(7))).describe();

        // then
        assertThat(description.subtopologies()).isNotEmpty();
        assertThat(description.globalStores()).isEmpty();
    }
}
