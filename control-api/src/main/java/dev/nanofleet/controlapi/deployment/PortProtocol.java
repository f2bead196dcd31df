package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the edge reaches a published port, as the API spells it: {@code http} (the deployment's hostname routes to its
 * first such port; the default, so requests and rows from before protocols existed mean what they meant) or {@code tcp}
 * (raw connections from an edge port of its own). The node publishes both alike.
 */
public enum PortProtocol {
    HTTP, TCP;

    @JsonCreator
    public static PortProtocol parse(String value) {
        if (value == null) {
            return null;
        }
        for (PortProtocol p : values()) {
            if (p.json().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of [http, tcp]");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
