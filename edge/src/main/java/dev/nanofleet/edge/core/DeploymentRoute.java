package dev.nanofleet.edge.core;

import java.util.List;

/**
 * One deployment as the control plane lists it for the edge: whose it is, its name, and the replicas that serve now
 * (empty when none does).
 */
public record DeploymentRoute(String deploymentId, String tenant, String name, List<Backend> backends) {

    public DeploymentRoute {
        backends = List.copyOf(backends);
    }
}
