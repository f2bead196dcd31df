package dev.nanofleet.edge.core;

import java.util.List;

/**
 * One deployment as the control plane lists it for the edge: whose it is, its name, the replicas that serve its HTTP
 * port now (empty when none does, or it has no HTTP port), the tenant's own hostnames for it, and its tcp ports.
 */
public record DeploymentRoute(String deploymentId, String tenant, String name, List<Backend> backends,
        List<CustomDomain> domains, List<TcpPort> tcpPorts) {

    public DeploymentRoute {
        backends = List.copyOf(backends);
        domains = List.copyOf(domains);
        tcpPorts = List.copyOf(tcpPorts);
    }

    /** A deployment with HTTP ports only. */
    public DeploymentRoute(String deploymentId, String tenant, String name, List<Backend> backends,
            List<CustomDomain> domains) {
        this(deploymentId, tenant, name, backends, domains, List.of());
    }

    /** A deployment with no custom domain. */
    public DeploymentRoute(String deploymentId, String tenant, String name, List<Backend> backends) {
        this(deploymentId, tenant, name, backends, List.of());
    }
}
