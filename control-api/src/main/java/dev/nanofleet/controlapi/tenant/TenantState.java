package dev.nanofleet.controlapi.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A suspended tenant keeps its data and may read it, but runs nothing and may change nothing. */
public enum TenantState {
    ACTIVE, SUSPENDED;

    @JsonCreator
    public static TenantState parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of [active, suspended]");
        }
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
