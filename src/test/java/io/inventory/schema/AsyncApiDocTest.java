package io.inventory.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.topology.Topic;
import io.inventory.topology.Topics;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code topology-docs/asyncapi.yaml} documents exactly the topics of {@link Topics}, each with its direction,
 * its key and a schema file for every message, as {@code OpenApiDocTest} does for the routes.
 */
class AsyncApiDocTest {

    private static final AsyncApi API = AsyncApi.read();

    /** What {@link Topics} names for other services: the inbound and outbound topics, and the replay markers. */
    private static Set<String> topics() {
        final Set<String> topics = new HashSet<>(Topic.names(Topics.INBOUND));
        topics.addAll(Topic.names(Topics.OUTBOUND));
        topics.add(Topics.INVENTORY_DLQ_REPLAYS.name());
        return topics;
    }

    private static boolean inbound(final String topic) {
        return Topic.names(Topics.INBOUND).contains(topic);
    }

    @Test
    void shouldBeAsyncApi3() {
        assertThat(API.version()).isEqualTo("3.0.0");
    }

    @Test
    void shouldDocumentExactlyTheTopicsOfTopics() {
        final List<String> documented = API.channels().stream().map(AsyncApi.Channel::address).toList();
        final Set<String> expected = topics();

        assertThat(documented).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldReceiveTheInboundTopicsAndSendTheOthers() {
        for (final AsyncApi.Channel channel : API.channels()) {
            assertThat(channel.actions()).as(channel.address())
                .containsExactly(inbound(channel.address()) ? "receive" : "send");
        }
        final Set<String> channelRefs = new HashSet<>();
        API.channels().forEach(channel -> channelRefs.add("#/channels/" + channel.id()));
        assertThat(AsyncApi.operationChannelRefs(AsyncApi.FILE)).allMatch(channelRefs::contains);
    }

    @Test
    void shouldGiveEveryMessageAKeyAndExistingSchemaFiles() {
        for (final AsyncApi.Channel channel : API.channels()) {
            assertThat(channel.messages()).as(channel.address()).isNotEmpty();
            for (final AsyncApi.Message message : channel.messages()) {
                assertThat(message.keyType()).as(message.name()).isEqualTo("string");
                assertThat(message.keyDescription()).as(message.name()).isNotBlank();
                assertThat(message.payloadSchema() != null || message.headersSchema() != null).as(message.name())
                    .isTrue();
                for (final String schema : new String[] {message.payloadSchema(), message.headersSchema()}) {
                    if (schema != null) {
                        assertThat(Files.exists(EventSchemas.DIR.resolve(schema))).as(schema).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void shouldNameEachEventMessageAfterTheEventTypeItsSchemaFixes() {
        for (final AsyncApi.Channel channel : API.channels()) {
            for (final AsyncApi.Message message : channel.messages()) {
                if (message.payloadSchema() == null) {
                    continue;
                }
                assertThat(message.payloadSchema()).isEqualTo(message.name() + ".json");
                // The replay markers are the one payload that is not an envelope.
                if (!channel.address().equals(Topics.INVENTORY_DLQ_REPLAYS.name())) {
                    assertThat(EventSchemasTest.eventTypeConst(message.payloadSchema())).as(message.name())
                        .isEqualTo(message.name());
                }
            }
        }
    }

    @Test
    void shouldReferenceEverySchemaFileButTheEnvelopes() {
        final List<String> referenced = new ArrayList<>();
        API.channels().forEach(channel -> channel.messages().forEach(message -> {
            referenced.add(message.payloadSchema());
            referenced.add(message.headersSchema());
        }));
        final Set<String> files = new HashSet<>(EventSchemas.files(EventSchemas.DIR).keySet());
        files.removeIf(file -> file.startsWith("envelope-"));

        assertThat(referenced).containsAll(files);
    }
}
