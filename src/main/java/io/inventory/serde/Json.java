package io.inventory.serde;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inventory.domain.InventoryCommand;
import io.inventory.domain.OrderEvent;
import io.inventory.domain.OrderState;
import io.inventory.domain.StockRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one {@link ObjectMapper} of the service. The domain's sealed types get their JSON type tags here, through
 * mix-ins, so the domain carries no serialization annotations.
 */
public final class Json {

    /** Inbound documents nested deeper than this are malformed; Jackson refuses them before they cost much. */
    static final int MAX_NESTING_DEPTH = 64;

    public static final ObjectMapper MAPPER = typeTagged(JsonMapper.builder())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        // Prices keep their spelling: 100.00 stays 100.00, never 1E+2.
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .addMixIn(OrderState.class, OrderStateNames.class)
        .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(100)
            .maxStringLength(1_000_000)
            .build());
    }

    private Json() {
    }

    /**
     * Tags the values of the domain's sealed types (order events, item commands, stock requests) with their case's
     * name, {@link #typeName}. A new case is tagged without a line here; the wire-format tests pin every name.
     */
    private static JsonMapper.Builder typeTagged(final JsonMapper.Builder builder) {
        for (final Class<?> sealed : List.of(OrderEvent.class, InventoryCommand.class, StockRequest.class)) {
            builder.addMixIn(sealed, TypeTagged.class);
            for (final Class<?> type : sealed.getPermittedSubclasses()) {
                builder.registerSubtypes(new NamedType(type, typeName(type)));
            }
        }
        return builder;
    }

    /** A case's name on the wire: the first word of its class's name, lowercased ({@code CreateItem}: "create"). */
    private static String typeName(final Class<?> type) {
        final String name = type.getSimpleName();
        int end = 1;
        while (end < name.length() && !Character.isUpperCase(name.charAt(end))) {
            end++;
        }
        return name.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /**
     * The order's reserved units and the products it last had reserved keep, in the {@code orders} store and its
     * changelog, the names they had when "held" meant both these and the units of a pending decision.
     */
    private abstract static class OrderStateNames {
        @JsonProperty("held")
        abstract Map<String, Long> reserved();

        @JsonProperty("lastHeld")
        abstract List<String> lastReserved();
    }

    /**
     * The domain's sealed types (order events, item commands, stock requests): each value is written with its case's
     * name, as {@link #typeTagged} registers it, in {@code "@type"}.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
    private interface TypeTagged {
    }
}
