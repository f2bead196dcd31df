package dev.nanofleet.controlapi.edge;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One deployment the edge routes to: who it belongs to, the container port its hostname forwards to (its first http
 * port), where its serving replicas answer on their nodes, the tenant's own hostnames for it, and its tcp ports with
 * the edge port each is reached on. An empty {@code backends} means none serves now.
 */
@Schema(name = "EdgeRoute", description = "A deployment with a published port and the replicas the edge may send its requests to")
public record EdgeRoute(UUID deploymentId, String tenant, String name,
        @Schema(nullable = true, description = "the port its hostname forwards to (its first http port); null when it publishes tcp ports only, and then backends is empty") Integer containerPort,
        List<Backend> backends, List<Domain> domains,
        @Schema(description = "its tcp ports, each on an edge port of its own, ordered by edge port") List<TcpPort> tcpPorts) {

    public EdgeRoute {
        backends = List.copyOf(backends);
        domains = List.copyOf(domains);
        tcpPorts = List.copyOf(tcpPorts);
    }

    EdgeRoute withDomains(List<Domain> domains) {
        return new EdgeRoute(deploymentId, tenant, name, containerPort, backends, domains, tcpPorts);
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

    /**
     * A tcp port: the edge listens on {@code edgePort} and forwards raw connections to the node port of
     * {@code containerPort} of each replica in {@code backends} (the same serving rule as the hostname's).
     */
    @Schema(name = "EdgeTcpPort")
    public record TcpPort(int containerPort, int edgePort, List<Backend> backends) {

        public TcpPort {
            backends = List.copyOf(backends);
        }
    }
}
