package dev.nanofleet.controlapi.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do. A person signed in through Keycloak holds every scope of their role; an API token holds the
 * scopes it was created with, never more than its creator held.
 */
public enum Scope {
    /** See deployments, instances, logs, usage (and, for operators, nodes and tenants). */
    READ,
    /** Create, scale and delete deployments (for operators: change nodes and tenants). */
    DEPLOY,
    /** Run commands in instances. */
    EXEC,
    /** Manage API tokens and members. */
    ADMIN;

    public static final Set<Scope> ALL = EnumSet.allOf(Scope.class);

    @JsonCreator
    public static Scope parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of [read, deploy, exec, admin]");
        }
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
