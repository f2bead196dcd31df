package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.deployment.DeploymentView.UsageView;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NodeLoadTest {

    private static final long MIB = 1024L * 1024;
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static FleetInstanceView instance(String tenant, String isolation, int cpuMillis, int memoryMiB,
            UsageView usage) {
        return new FleetInstanceView(UUID.randomUUID(), tenant, null, UUID.randomUUID(), "web", 0, "node-a",
                isolation, "running", "running", null, null, new Resources(cpuMillis, memoryMiB), usage, AT);
    }

    private static UsageView usage(long memoryBytes, Long cpuMillis) {
        return new UsageView(AT, 1_000_000_000L, memoryBytes, cpuMillis);
    }

    @Test
    void an_empty_node_has_nothing_allocated_used_or_owned() {
        NodeLoad load = NodeLoad.of(List.of());

        assertThat(load.allocated()).isEqualTo(new Resources(0, 0));
        assertThat(load.used()).isEqualTo(new NodeLoad.Used(0, 0, 0));
        assertThat(load.instances()).isEqualTo(new NodeLoad.InstanceCounts(0, 0));
        assertThat(load.kernelTenant()).isNull();
        assertThat(load.vmOverheadBytes()).isZero();
    }

    @Test
    void reservations_measurements_and_modes_are_summed_and_the_shared_kernel_is_its_tenants() {
        NodeLoad load = NodeLoad.of(List.of(
                instance("globex", "shared", 250, 64, usage(50 * MIB, 200L)),
                instance("globex", "shared", 250, 64, usage(40 * MIB, null)), // one sample: no CPU figure yet
                instance("acme", "hardware", 500, 128, usage(228 * MIB, 500L)),
                instance("acme", "hardware", 100, 256, null))); // not measured yet

        assertThat(load.allocated()).isEqualTo(new Resources(1100, 512));
        assertThat(load.used()).isEqualTo(new NodeLoad.Used(700, 318 * MIB, 3));
        assertThat(load.instances()).isEqualTo(new NodeLoad.InstanceCounts(2, 2));
        assertThat(load.kernelTenant()).isEqualTo("globex");
        // 228 MiB measured for 128 reserved; the unmeasured VM adds nothing
        assertThat(load.vmOverheadBytes()).isEqualTo(100 * MIB);
    }

    @Test
    void a_vm_using_less_than_it_reserved_adds_no_overhead_and_a_container_never_does() {
        NodeLoad load = NodeLoad.of(List.of(
                instance("acme", "hardware", 500, 256, usage(100 * MIB, 10L)),
                instance("globex", "shared", 500, 64, usage(500 * MIB, 10L))));

        assertThat(load.vmOverheadBytes()).isZero();
    }

    @Test
    void hardware_isolated_instances_hold_no_kernel_and_two_tenants_sharing_one_name_the_first_by_id() {
        assertThat(NodeLoad.of(List.of(instance("acme", "hardware", 100, 64, null))).kernelTenant()).isNull();
        // the scheduler never does this; if it ever shows, the answer does not depend on the order read
        assertThat(NodeLoad.of(List.of(instance("zeta", "shared", 100, 64, null),
                instance("beta", "shared", 100, 64, null))).kernelTenant()).isEqualTo("beta");
    }
}
