package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What the core knows about one node. Immutable: placing a replica yields a new view ({@link #withPlaced}).
 *
 * @param used capacity already charged to placed instances (including VM overhead)
 * @param status whether it takes new work ({@link NodeStatus#READY}) or why not
 * @param kernelOwner the tenant whose shared-kernel instances run on this node, or {@code null} when none do
 * @param replicasByDeployment how many instances of each deployment run here, for spreading; deployments absent from
 *        the map have none
 */
public record NodeView(String name, Resources allocatable, Resources used, Set<Isolation> isolations,
        Map<String, String> labels, NodeStatus status, String kernelOwner, Map<UUID, Integer> replicasByDeployment)
        implements
            NodeFacts {

    /** The label that names a node's failure domain; replicas of one deployment spread over its values. */
    public static final String ZONE_LABEL = "zone";

    public NodeView {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(allocatable, "allocatable");
        Objects.requireNonNull(used, "used");
        isolations = Set.copyOf(isolations);
        labels = Map.copyOf(labels);
        replicasByDeployment = Map.copyOf(replicasByDeployment);
    }

    /** An empty, schedulable node: convenient for tests and for nodes that just registered. */
    public static NodeView empty(String name, Resources allocatable, Set<Isolation> isolations) {
        return new NodeView(name, allocatable, new Resources(0, 0), isolations, Map.of(), NodeStatus.READY, null,
                Map.of());
    }

    @Override
    public boolean offers(Isolation isolation) {
        return isolations.contains(isolation);
    }

    @Override
    public int allocatableCpuMillis() {
        return allocatable.cpuMillis();
    }

    @Override
    public int allocatableMemoryMiB() {
        return allocatable.memoryMiB();
    }

    @Override
    public int usedCpuMillis() {
        return used.cpuMillis();
    }

    @Override
    public int usedMemoryMiB() {
        return used.memoryMiB();
    }

    public boolean schedulable() {
        return status == NodeStatus.READY;
    }

    /** The node's zone, or the empty string when it has no {@value #ZONE_LABEL} label (all such nodes count as one). */
    @Override
    public String zone() {
        return labels.getOrDefault(ZONE_LABEL, "");
    }

    @Override
    public int replicasOf(UUID deploymentId) {
        return replicasByDeployment.getOrDefault(deploymentId, 0);
    }

    /** This node after {@code request} was placed on it, charged {@code charged}. */
    public NodeView withPlaced(PlacementRequest request, Resources charged) {
        Map<UUID, Integer> replicas = new HashMap<>(replicasByDeployment);
        replicas.merge(request.deploymentId(), 1, Integer::sum);
        String owner = request.isolation() == Isolation.SHARED ? request.tenant() : kernelOwner;
        return new NodeView(name, allocatable,
                new Resources(used.cpuMillis() + charged.cpuMillis(), used.memoryMiB() + charged.memoryMiB()),
                isolations, labels, status, owner, replicas);
    }
}
