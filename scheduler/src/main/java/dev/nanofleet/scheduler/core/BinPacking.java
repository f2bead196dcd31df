package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Resources;

/**
 * Prefers the node that is fullest after the placement (Kubernetes' MostAllocated), so small nodes stay free for
 * large requests and idle nodes can be drained. Raw score 0..{@link #MAX}, the mean of CPU and memory use in per mille,
 * weighted by {@code 100 - spreadWeight}.
 */
public final class BinPacking implements NodeScorer {

    public static final long MAX = 1000;

    private final SchedulerPolicy policy;
    private final long weight;

    public BinPacking(SchedulerPolicy policy) {
        this.policy = policy;
        this.weight = 100L - policy.spreadWeight();
    }

    @Override
    public long score(PlacementRequest request, NodeFacts node, Footprint footprint) {
        return weight * raw(request, node);
    }

    long raw(PlacementRequest request, NodeFacts node) {
        Resources charged = policy.charged(request);
        long cpu = perMille(node.usedCpuMillis() + charged.cpuMillis(), node.allocatableCpuMillis());
        long memory = perMille(node.usedMemoryMiB() + charged.memoryMiB(), node.allocatableMemoryMiB());
        return (cpu + memory) / 2;
    }

    private static long perMille(long used, long allocatable) {
        return allocatable <= 0 ? MAX : Math.min(MAX, used * MAX / allocatable);
    }
}
