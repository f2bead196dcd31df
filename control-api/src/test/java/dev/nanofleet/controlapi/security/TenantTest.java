package dev.nanofleet.controlapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.TenantTrust;
import org.junit.jupiter.api.Test;

class TenantTest {

    @Test
    void only_an_explicit_trusted_claim_makes_a_tenant_trusted() {
        assertThat(Tenant.trustOf("trusted")).isEqualTo(TenantTrust.TRUSTED);
        assertThat(Tenant.trustOf(" TRUSTED ")).isEqualTo(TenantTrust.TRUSTED);
        assertThat(Tenant.trustOf("untrusted")).isEqualTo(TenantTrust.UNTRUSTED);
        assertThat(Tenant.trustOf(null)).isEqualTo(TenantTrust.UNTRUSTED);
        assertThat(Tenant.trustOf("yes")).isEqualTo(TenantTrust.UNTRUSTED);
    }
}
