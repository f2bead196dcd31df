package dev.nanofleet.edge.core;

import java.util.List;

/**
 * One deployment as the control plane lists it for the edge: whose it is, its name, the replicas that serve now (empty
 * when none does) and the tenant's own hostnames for it.
 */
public record DeploymentRoute(String deploymentId, String tenant, String name, List<Backend> backends,
        List<CustomDomain> domains) {

    public DeploymentRoute {
        backends = List.copyOf(backends);
        domains = List.copyOf(domains);
    }

    /** A deployment with no custom domain. */
    public DeploymentRoute(String deploymentId, String tenant, String name, List<Backend> backends) {
        this(deploymentId, tenant, name, backends, List.of());
    }
}
