package dev.nanofleet.controlapi.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import org.junit.jupiter.api.Test;

class IsolationPolicyTest {

    @Test
    void auto_gives_untrusted_tenants_their_own_kernel() {
        assertThat(IsolationPolicy.resolve(RequestedIsolation.AUTO, TenantTrust.UNTRUSTED).allowed())
                .contains(Isolation.HARDWARE);
    }

    @Test
    void auto_gives_trusted_tenants_a_shared_kernel() {
        assertThat(IsolationPolicy.resolve(RequestedIsolation.AUTO, TenantTrust.TRUSTED).allowed())
                .contains(Isolation.SHARED);
    }

    @Test
    void anyone_may_ask_for_hardware_isolation() {
        for (TenantTrust trust : TenantTrust.values()) {
            assertThat(IsolationPolicy.resolve(RequestedIsolation.HARDWARE, trust).allowed())
                    .contains(Isolation.HARDWARE);
        }
    }

    @Test
    void trusted_tenants_may_ask_for_a_shared_kernel() {
        assertThat(IsolationPolicy.resolve(RequestedIsolation.SHARED, TenantTrust.TRUSTED).allowed())
                .contains(Isolation.SHARED);
    }

    @Test
    void untrusted_tenants_are_refused_a_shared_kernel_with_the_reason() {
        IsolationPolicy.Decision decision = IsolationPolicy.resolve(RequestedIsolation.SHARED, TenantTrust.UNTRUSTED);
        assertThat(decision.allowed()).isEmpty();
        assertThat(decision.refusal()).contains("trusted tenants").contains("hardware");
    }

    @Test
    void requested_isolation_reads_any_case_and_names_the_choices_otherwise() {
        assertThat(RequestedIsolation.parse("Shared")).isEqualTo(RequestedIsolation.SHARED);
        assertThat(RequestedIsolation.AUTO.json()).isEqualTo("auto");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestedIsolation.parse("vm"))
                .hasMessageContaining("[auto, hardware, shared]");
    }
}
