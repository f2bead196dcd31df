package dev.nanofleet.tenantbilling.security;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do, in control-api's words. A person signed in through Keycloak holds every scope of their role;
 * an API token holds the scopes control-api says it was created with. Billing reads need {@link #READ}; changing the
 * spend limit needs {@link #ADMIN}.
 */
public enum Scope {
    READ, DEPLOY, EXEC, ADMIN;

    public static final Set<Scope> ALL = EnumSet.allOf(Scope.class);

    /** The scope control-api spells {@code value}; empty for one this service does not know (a newer control-api's). */
    public static Optional<Scope> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
