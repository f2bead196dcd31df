package dev.nanofleet.controlapi.edge;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One deployment the edge routes to: who it belongs to, the container port the edge forwards to (its first published
 * port), where its serving replicas answer on their nodes, and the tenant's own hostnames for it. An empty
 * {@code backends} means none serves now.
 */
@Schema(name = "EdgeRoute", description = "A deployment with a published port and the replicas the edge may send its requests to")
public record EdgeRoute(UUID deploymentId, String tenant, String name, int containerPort, List<Backend> backends,
        List<Domain> domains) {

    public EdgeRoute {
        backends = List.copyOf(backends);
        domains = List.copyOf(domains);
    }

    EdgeRoute withDomains(List<Domain> domains) {
        return new EdgeRoute(deploymentId, tenant, name, containerPort, backends, domains);
    }

    /**
     * A custom domain of the deployment: the edge serves it with the certificate of this fingerprint, which it reads
     * (with its key) from {@code GET /v1/edge/certificates/{hostname}} when it does not have it yet.
     */
    @Schema(name = "EdgeDomain")
    public record Domain(String hostname, String certificateSha256) {
    }

    /**
     * A replica that serves: its node's address and the node port its {@code containerPort} is published on.
     */
    @Schema(name = "EdgeBackend")
    public record Backend(UUID instanceId, String node, String address, int port) {
    }
}
