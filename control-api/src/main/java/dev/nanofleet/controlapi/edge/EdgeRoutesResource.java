package dev.nanofleet.controlapi.edge;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The edge router's routing table: every live deployment that publishes a port, and the replicas that serve it. For
 * the edge's own identity (Keycloak client {@code nanofleet-edge}, realm role {@value #EDGE_ROLE}) and operators;
 * tenants are refused, since it names every tenant's deployments and nodes.
 */
@Path("/v1/edge/routes")
@RolesAllowed({Caller.OPERATOR_ROLE, EdgeRoutesResource.EDGE_ROLE})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes")
public class EdgeRoutesResource {

    public static final String EDGE_ROLE = "edge";

    private final EdgeRoutes routes;
    private final Caller caller;
    private final SecurityIdentity identity;

    EdgeRoutesResource(EdgeRoutes routes, Caller caller, SecurityIdentity identity) {
        this.routes = routes;
        this.caller = caller;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "listEdgeRoutes", summary = "The edge's routes: each live deployment with a published port (its first http port is where its hostname goes; each tcp port has an edge port of its own) and its serving replicas' node addresses and node ports (the edge and operators only)")
    @APIResponse(responseCode = "200", description = "the routes, ordered by tenant and name; a replica serves when it runs, is not being stopped and, with a health check, is healthy", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = EdgeRoute.class)))
    @APIResponse(responseCode = "403", description = "neither the edge nor an operator", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<EdgeRoute> list() {
        if (!identity.hasRole(EDGE_ROLE)) {
            caller.operator(Scope.READ);
        }
        return routes.all();
    }
}
