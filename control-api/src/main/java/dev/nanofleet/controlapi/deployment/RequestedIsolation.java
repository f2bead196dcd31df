package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The isolation a tenant asks for; {@code auto} lets control-api choose from the tenant's trust. */
public enum RequestedIsolation {
    AUTO, HARDWARE, SHARED;

    @JsonCreator
    public static RequestedIsolation parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of [auto, hardware, shared]");
        }
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
