package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Resources;
import java.util.Optional;

/**
 * The node has the CPU and memory the request is charged, VM overhead included. Memory is checked first: it is what
 * runs out first on a VM host, and a reason per node keeps the explanation short.
 */
public final class FitsResources implements NodeFilter {

    public static final String INSUFFICIENT_MEMORY = "insufficient memory";
    public static final String INSUFFICIENT_CPU = "insufficient cpu";

    private static final Optional<String> INSUFFICIENT_MEMORY_REASON = Optional.of(INSUFFICIENT_MEMORY);
    private static final Optional<String> INSUFFICIENT_CPU_REASON = Optional.of(INSUFFICIENT_CPU);

    private final SchedulerPolicy policy;

    public FitsResources(SchedulerPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Optional<String> reject(PlacementRequest request, NodeFacts node) {
        Resources charged = policy.charged(request);
        if (charged.memoryMiB() > node.freeMemoryMiB()) {
            return INSUFFICIENT_MEMORY_REASON;
        }
        if (charged.cpuMillis() > node.freeCpuMillis()) {
            return INSUFFICIENT_CPU_REASON;
        }
        return Optional.empty();
    }
}
