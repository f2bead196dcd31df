package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.scheduler.core.NodeStatus;
import dev.nanofleet.scheduler.core.NodeView;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One node as {@link FleetState} holds it: the {@code nodes} row, with the version it was read or last written at.
 * Mutable, and only ever changed through {@link FleetState} (which records it for the batch's commit).
 */
final class NodeState {

    final String name;
    int allocatableCpuMillis;
    int allocatableMemoryMiB;
    Set<Isolation> isolations;
    Map<String, String> labels;
    NodeStatus status;
    int usedCpuMillis;
    int usedMemoryMiB;
    String kernelOwner;
    Instant registeredAt;
    Instant lastHeartbeat;
    /** The row's version as of the last read or commit; meaningless while {@link #stored} is false. */
    long version;
    /** Whether the row exists in PostgreSQL (false for a node registered in the batch being applied). */
    boolean stored;

    /** The core's view of this node without replica counts; built once per change, most nodes reuse it per batch. */
    private NodeView bare;

    NodeState(String name) {
        this.name = name;
    }

    Resources allocatable() {
        return new Resources(allocatableCpuMillis, allocatableMemoryMiB);
    }

    Resources used() {
        return new Resources(usedCpuMillis, usedMemoryMiB);
    }

    /** Called by {@link FleetState} whenever a field changed. */
    void changed() {
        bare = null;
    }

    NodeView view(Map<UUID, Integer> replicasByDeployment) {
        if (!replicasByDeployment.isEmpty()) {
            return new NodeView(name, allocatable(), used(), isolations, labels, status, kernelOwner,
                    replicasByDeployment);
        }
        if (bare == null) {
            bare = new NodeView(name, allocatable(), used(), isolations, labels, status, kernelOwner, Map.of());
        }
        return bare;
    }
}
