package dev.nanofleet.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes events as CloudEvents 1.0 structured-mode JSON, with the extension attributes {@code tenant}, {@code actor} and
 * {@code schemaversion}. Thread-safe.
 */
public final class EventCodec {

    public static final String SPEC_VERSION = "1.0";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // newer writers may add fields; readers of an older version ignore them
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // money rides events as exact decimals: read numbers as BigDecimal, never through double, and keep the
            // scale written (25.00 stays 25.00)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private EventCodec() {
    }

    public static byte[] encode(Event<?> event) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("specversion", SPEC_VERSION);
        json.put("id", event.id().toString());
        json.put("type", event.type().typeName());
        json.put("schemaversion", event.type().schemaVersion());
        json.put("source", event.source());
        json.put("time", event.time().toString());
        json.put("subject", event.subject());
        if (event.tenant() != null) {
            json.put("tenant", event.tenant());
        }
        if (event.actor() != null) {
            json.put("actor", event.actor());
        }
        json.put("datacontenttype", "application/json");
        json.set("data", MAPPER.valueToTree(event.data()));
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    /**
     * Decodes one event. Returns empty for a type this version of the contract does not know, so a consumer can skip
     * events added after it was built; throws {@link MalformedEventException} for anything that is not an event.
     */
    public static Optional<Event<?>> decode(byte[] bytes) {
        JsonNode json;
        try {
            json = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new MalformedEventException("not a JSON object", null);
        }
        Optional<EventType> type = EventType.byName(required(json, "type"));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        try {
            EventPayload data = MAPPER.treeToValue(json.get("data"), type.get().payloadClass());
            if (data == null) {
                throw new MalformedEventException("missing data", null);
            }
            return Optional.of(new Event<>(UUID.fromString(required(json, "id")), required(json, "source"),
                    Instant.parse(required(json, "time")), optional(json, "tenant"), required(json, "subject"),
                    optional(json, "actor"), data));
        } catch (JsonProcessingException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedEventException("bad " + type.get().typeName() + " event: " + e.getMessage(), e);
        }
    }

    /** The mapper the contract uses, for the node API's messages too. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String optional(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new MalformedEventException("missing " + field, null);
        }
        return value.asText();
    }
}
