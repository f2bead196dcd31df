package dev.nanofleet.controlapi.edge;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One deployment the edge routes to: who it belongs to, the container port the edge forwards to (its first published
 * port) and where its serving replicas answer on their nodes. An empty {@code backends} means none serves now.
 */
@Schema(name = "EdgeRoute", description = "A deployment with a published port and the replicas the edge may send its requests to")
public record EdgeRoute(UUID deploymentId, String tenant, String name, int containerPort, List<Backend> backends) {

    public EdgeRoute {
        backends = List.copyOf(backends);
    }

    /**
     * A replica that serves: its node's address and the node port its {@code containerPort} is published on.
     */
    @Schema(name = "EdgeBackend")
    public record Backend(UUID instanceId, String node, String address, int port) {
    }
}
