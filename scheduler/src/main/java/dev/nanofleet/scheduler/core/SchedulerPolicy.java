package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;

/**
 * The knobs of placement.
 *
 * @param vmOverheadMiB memory a hardware-isolated instance costs on top of its own (the guest kernel and the VMM)
 */
public record SchedulerPolicy(int vmOverheadMiB, TieBreak tieBreak) {

    public static final int DEFAULT_VM_OVERHEAD_MIB = 64;

    public SchedulerPolicy {
        if (vmOverheadMiB < 0) {
            throw new IllegalArgumentException("vmOverheadMiB must not be negative: " + vmOverheadMiB);
        }
        if (tieBreak == null) {
            throw new IllegalArgumentException("tieBreak is required");
        }
    }

    public static SchedulerPolicy defaults() {
        return new SchedulerPolicy(DEFAULT_VM_OVERHEAD_MIB, TieBreak.NAME);
    }

    /** What placing {@code request} takes from a node: its resources plus, for a VM, the VM overhead. */
    public Resources charged(PlacementRequest request) {
        Resources asked = request.resources();
        int overhead = request.isolation() == Isolation.HARDWARE ? vmOverheadMiB : 0;
        return new Resources(asked.cpuMillis(), asked.memoryMiB() + overhead);
    }
}
