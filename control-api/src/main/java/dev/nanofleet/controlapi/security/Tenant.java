package dev.nanofleet.controlapi.security;

import dev.nanofleet.events.TenantTrust;
import java.util.Objects;

/**
 * The tenant a request acts for, taken from its token (never from its body) and its trust from control-api's tenant
 * record, with who is acting: {@code user:<name>} or {@code token:<id>}, so events and logs can name them.
 */
public record Tenant(String id, TenantTrust trust, String actor) {

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(actor, "actor");
    }
}
