package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;

/**
 * The knobs of placement.
 *
 * @param vmOverheadMiB memory a hardware-isolated instance costs on top of its own (the guest kernel and the VMM)
 * @param spreadWeight 0..100: how much spreading a deployment's hardware-isolated replicas over nodes and zones counts
 *        against bin packing. A node's score is {@code spreadWeight * spread + (100 - spreadWeight) * packing}, both
 *        0..1000. 0 packs only, 100 spreads only (ties then by {@link TieBreak}).
 * @param feasibleNodesToScore stop looking once this many nodes passed every filter and score only those (Kubernetes'
 *        percentageOfNodesToScore, as a count); 0 scores every feasible node. The scan starts at a node chosen from
 *        the instance id and walks the zones in turn, so the sample is deterministic and covers every zone.
 */
public record SchedulerPolicy(int vmOverheadMiB, TieBreak tieBreak, int spreadWeight, int feasibleNodesToScore) {

    public static final int DEFAULT_VM_OVERHEAD_MIB = 64;
    public static final int DEFAULT_SPREAD_WEIGHT = 75;
    public static final int DEFAULT_FEASIBLE_NODES_TO_SCORE = 50;

    public SchedulerPolicy {
        if (vmOverheadMiB < 0) {
            throw new IllegalArgumentException("vmOverheadMiB must not be negative: " + vmOverheadMiB);
        }
        if (tieBreak == null) {
            throw new IllegalArgumentException("tieBreak is required");
        }
        if (spreadWeight < 0 || spreadWeight > 100) {
            throw new IllegalArgumentException("spreadWeight must be 0..100: " + spreadWeight);
        }
        if (feasibleNodesToScore < 0) {
            throw new IllegalArgumentException("feasibleNodesToScore must not be negative: " + feasibleNodesToScore);
        }
    }

    /** Default spread weight, every feasible node scored. */
    public SchedulerPolicy(int vmOverheadMiB, TieBreak tieBreak) {
        this(vmOverheadMiB, tieBreak, DEFAULT_SPREAD_WEIGHT, 0);
    }

    /** Every feasible node scored: exact, and what small fleets and tests want. */
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
