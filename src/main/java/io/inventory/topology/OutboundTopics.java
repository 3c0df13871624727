package io.inventory.topology;

import io.inventory.serde.OutboundEvent;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends each outbound event to the topic of its kind ({@link Topics#topicFor}). */
final class OutboundTopics implements TopicNameExtractor<String, OutboundEvent> {

    @Override
    public String extract(final String key, final OutboundEvent value, final RecordContext recordContext) {
        return Topics.topicFor(value.event().kind()).name();
    }

    /** Shown by {@code Topology.describe()}: stable, so the checked-in description does not churn. */
    @Override
    public String toString() {
        return "OutboundTopics[inventory.* by event type]";
    }
}
