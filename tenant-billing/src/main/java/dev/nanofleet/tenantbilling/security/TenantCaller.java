package dev.nanofleet.tenantbilling.security;

import java.util.Objects;

/** The tenant a request acts for, always taken from its credential (never from the path or body), and who acts. */
public record TenantCaller(String tenant, String actor) {

    public TenantCaller {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(actor, "actor");
    }
}
