package dev.nanofleet.scheduler.core;

import static dev.nanofleet.scheduler.core.Fixtures.hardware;
import static dev.nanofleet.scheduler.core.Fixtures.node;
import static dev.nanofleet.scheduler.core.Fixtures.ownedBy;
import static dev.nanofleet.scheduler.core.Fixtures.shared;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelOwnershipTest {

    private final KernelOwnership filter = new KernelOwnership();

    @Test
    void a_node_whose_kernel_runs_tenant_a_rejects_a_shared_kernel_instance_of_tenant_b() {
        assertThat(filter.reject(shared("i", "b", 1, 1), ownedBy(node("n", 1000, 1024), "a")))
                .contains(KernelOwnership.OWNED_BY_ANOTHER_TENANT);
    }

    @Test
    void the_owning_tenant_may_add_shared_kernel_instances() {
        assertThat(filter.reject(shared("i", "a", 1, 1), ownedBy(node("n", 1000, 1024), "a"))).isEmpty();
    }

    @Test
    void any_tenant_may_run_a_vm_beside_another_tenants_kernel() {
        assertThat(filter.reject(hardware("i", "b", 1, 1), ownedBy(node("n", 1000, 1024), "a"))).isEmpty();
    }

    @Test
    void a_node_with_no_shared_kernel_instance_takes_any_tenant() {
        assertThat(filter.reject(shared("i", "b", 1, 1), node("n", 1000, 1024))).isEmpty();
    }

    @Test
    void an_untrusted_tenant_never_gets_a_shared_kernel() {
        PlacementRequest untrustedShared = new PlacementRequest(Fixtures.id("i"), Fixtures.DEPLOYMENT, "u",
                TenantTrust.UNTRUSTED, Isolation.SHARED, new Resources(1, 1));
        assertThat(filter.reject(untrustedShared, node("n", 1000, 1024))).contains(KernelOwnership.UNTRUSTED_TENANT);
    }

    @Test
    void placing_a_shared_kernel_instance_claims_the_kernel_for_its_tenant_within_one_pass() {
        Scheduler scheduler = new Scheduler(SchedulerPolicy.defaults());
        Plan plan = scheduler.placeAll(List.of(shared("a1", "a", 100, 100), shared("b1", "b", 100, 100)),
                List.of(node("n", 4000, 4096)));

        assertThat(plan.placed()).extracting(p -> p.request().tenant()).containsExactly("a");
        assertThat(plan.unschedulable()).singleElement()
                .satisfies(u -> assertThat(u.explanation())
                        .hasToString("0/1 nodes available: 1 kernel owned by another tenant"));
        assertThat(plan.nodes().get("n").kernelOwner()).isEqualTo("a");
    }

    @Test
    void a_vm_does_not_claim_the_kernel() {
        NodeView after = node("n", 4000, 4096).withPlaced(hardware("v", "a", 100, 100), new Resources(100, 164));
        assertThat(after.kernelOwner()).isNull();
    }
}
