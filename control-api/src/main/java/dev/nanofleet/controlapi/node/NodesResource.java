package dev.nanofleet.controlapi.node;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet, for operators. */
@Path("/v1/nodes")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes")
@SecurityRequirement(name = "bearer")
public class NodesResource {

    private final NodeService nodes;

    NodesResource(NodeService nodes) {
        this.nodes = nodes;
    }

    @GET
    @Operation(summary = "Every registered node with its capacity and readiness (operators only)")
    public List<NodeView> list() {
        return nodes.list();
    }
}
