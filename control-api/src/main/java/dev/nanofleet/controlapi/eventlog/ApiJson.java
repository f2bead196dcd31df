package dev.nanofleet.controlapi.eventlog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.events.EventPayload;
import java.io.IOException;

/**
 * Writes an event's payload as the tenant API spells things: enum constants in lower case joined by {@code -}
 * ({@link EnumNames}), times as RFC 3339. The events module's mapper keeps the Java names (consumers read those), so
 * the log has its own. Thread-safe.
 */
public final class ApiJson {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .registerModule(new SimpleModule("lower-case-enums").addSerializer(Enum.class,
                    (StdSerializer) new StdSerializer<Enum>(Enum.class) {
                        @Override
                        public void serialize(Enum value, JsonGenerator json, SerializerProvider provider)
                                throws IOException {
                            json.writeString(EnumNames.json(value));
                        }
                    }));

    private ApiJson() {
    }

    public static JsonNode payload(EventPayload data) {
        return MAPPER.valueToTree(data);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
