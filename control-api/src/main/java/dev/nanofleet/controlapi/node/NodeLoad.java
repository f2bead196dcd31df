package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What runs on a node, summed over the instances placed there that have not ended: what they reserve, what the node
 * last measured of them, how many of each isolation mode, whose shared kernel the node runs and what its VMs cost
 * beyond what they asked for. Pure, so the sums are tested directly.
 *
 * @param kernelTenant the tenant whose shared-kernel instances the node runs, or null. An instance holds its node's
 *        kernel while it is placed there with isolation {@code shared} and has not ended (one told to stop holds it
 *        until its node says it stopped), as the scheduler's kernel ownership and {@code TenantWorkloads} count it;
 *        the scheduler never gives one kernel to two tenants
 * @param vmOverheadBytes the sum over its hardware-isolated instances with a measurement of (the host memory the VM
 *        uses - the memory it reserved), each floored at 0
 */
public record NodeLoad(Resources allocated, Used used, InstanceCounts instances, String kernelTenant,
        long vmOverheadBytes) {

    static final long MIB = 1024L * 1024;

    /**
     * What its node last measured of the instances, summed. {@code cpuMillis} counts the instances whose CPU over
     * their last sample interval is known (two samples), {@code memoryBytes} all with a sample.
     */
    @Schema(name = "NodeUsage", description = "What the node last measured of the instances placed there, summed:"
            + " cpuMillis is the CPU they used over each one's last sample interval in thousandths of a core (those"
            + " with two samples), memoryBytes their memory in use now (for a VM the whole VM's resident memory on"
            + " the host); measuredInstances how many have sent a sample")
    public record Used(@Schema(required = true) long cpuMillis, @Schema(required = true) long memoryBytes,
            @Schema(required = true) int measuredInstances) {
    }

    @Schema(name = "IsolationCounts", description = "How many instances of each isolation mode")
    public record InstanceCounts(@Schema(required = true) int hardware, @Schema(required = true) int shared) {
    }

    /** The load of a node's placed, not ended instances (all of them on that node), in any order. */
    static NodeLoad of(List<FleetInstanceView> placed) {
        int cpuMillis = 0;
        int memoryMiB = 0;
        long usedCpu = 0;
        long usedMemory = 0;
        int measured = 0;
        int hardware = 0;
        int shared = 0;
        long vmOverhead = 0;
        String kernelTenant = null;
        for (FleetInstanceView instance : placed) {
            cpuMillis += instance.reserved().cpuMillis();
            memoryMiB += instance.reserved().memoryMiB();
            boolean vm = EnumNames.json(Isolation.HARDWARE).equals(instance.isolation());
            if (vm) {
                hardware++;
            } else if (EnumNames.json(Isolation.SHARED).equals(instance.isolation())) {
                shared++;
                // should two tenants ever share a kernel (the scheduler never lets them), the first by id is named
                if (kernelTenant == null || instance.tenant().compareTo(kernelTenant) < 0) {
                    kernelTenant = instance.tenant();
                }
            }
            if (instance.usage() != null) {
                measured++;
                usedMemory += instance.usage().memoryBytes();
                usedCpu += Objects.requireNonNullElse(instance.usage().cpuMillis(), 0L);
                if (vm) {
                    vmOverhead += Math.max(0, instance.usage().memoryBytes() - instance.reserved().memoryMiB() * MIB);
                }
            }
        }
        return new NodeLoad(new Resources(cpuMillis, memoryMiB), new Used(usedCpu, usedMemory, measured),
                new InstanceCounts(hardware, shared), kernelTenant, vmOverhead);
    }
}
