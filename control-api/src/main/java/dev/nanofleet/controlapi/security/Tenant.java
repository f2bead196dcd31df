package dev.nanofleet.controlapi.security;

import dev.nanofleet.events.TenantTrust;
import java.util.Locale;
import java.util.Objects;

/** The tenant a request acts for, taken from its token, never from its body. */
public record Tenant(String id, TenantTrust trust) {

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trust, "trust");
    }

    /** Reads the {@code tenant_trust} claim; anything but "trusted" (including nothing) means untrusted. */
    public static TenantTrust trustOf(String claim) {
        return claim != null && claim.trim().toLowerCase(Locale.ROOT).equals("trusted")
                ? TenantTrust.TRUSTED
                : TenantTrust.UNTRUSTED;
    }
}
