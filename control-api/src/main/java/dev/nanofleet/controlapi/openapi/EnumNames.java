package dev.nanofleet.controlapi.openapi;

import java.util.Locale;

/**
 * How the tenant API spells an enum constant: lower case, words joined by {@code -} (as {@code on-failure}). The views
 * hold these as strings because the enums they come from (events, node API) keep their Java names on the node API and
 * in events, where agents and consumers read them; a global Jackson setting would change those too.
 */
public final class EnumNames {

    private EnumNames() {
    }

    /** The constant as the tenant API writes it; null for null. */
    public static String json(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
