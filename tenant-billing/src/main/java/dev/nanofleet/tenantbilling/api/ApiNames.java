package dev.nanofleet.tenantbilling.api;

import java.util.Locale;

/**
 * How the billing API spells an enum constant: lower case, words joined by {@code -}, as control-api's tenant API
 * writes isolation ({@code hardware}, {@code shared}). Views hold these as strings so events keep their Java names.
 */
public final class ApiNames {

    private ApiNames() {
    }

    /** The constant as the API writes it; null for null. */
    public static String of(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A name the service spells its own way ({@code HARDWARE}) as the API spells it. */
    public static String of(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
