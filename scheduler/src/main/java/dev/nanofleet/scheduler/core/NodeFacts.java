package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import java.util.Map;
import java.util.UUID;

/**
 * What filters and scorers read about one node. A {@link NodeView} is one; inside a {@link Scheduler.Session} the
 * scheduler hands them a view over its compact per-node arrays instead, so judging a node allocates nothing and copies
 * nothing. Read it during the call only: the session's view moves on to the next node afterwards.
 */
public interface NodeFacts {

    String name();

    NodeStatus status();

    /** Whether the node can run instances of {@code isolation}. */
    boolean offers(Isolation isolation);

    Map<String, String> labels();

    /** The node's {@value NodeView#ZONE_LABEL} label, or the empty string (all nodes without one are one zone). */
    String zone();

    /** The tenant whose shared-kernel instances run here, or {@code null}. */
    String kernelOwner();

    /** Whether a shared-kernel instance of {@code tenant} may join: no tenant's kernel runs here yet, or its own. */
    default boolean kernelOpenTo(String tenant) {
        String owner = kernelOwner();
        return owner == null || owner.equals(tenant);
    }

    int allocatableCpuMillis();

    int allocatableMemoryMiB();

    /** Capacity charged to placed instances, VM overhead included. */
    int usedCpuMillis();

    int usedMemoryMiB();

    default int freeCpuMillis() {
        return allocatableCpuMillis() - usedCpuMillis();
    }

    default int freeMemoryMiB() {
        return allocatableMemoryMiB() - usedMemoryMiB();
    }

    /** How many replicas of {@code deploymentId} run here. */
    int replicasOf(UUID deploymentId);
}
