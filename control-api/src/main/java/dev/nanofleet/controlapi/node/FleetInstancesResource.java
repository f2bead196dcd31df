package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet's instances across every node and tenant, for operators: what waits, what cannot be placed and why. */
@Path("/v1/instances")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes")
public class FleetInstancesResource {

    private final NodeService nodes;
    private final Caller caller;

    FleetInstancesResource(NodeService nodes, Caller caller) {
        this.nodes = nodes;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listFleetInstances", summary = "Instances across the fleet, by state, node and tenant, ordered by tenant, deployment and ordinal (operators only)")
    @APIResponse(responseCode = "200", description = "the instances; an unschedulable one's reason is the scheduler's explanation", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = FleetInstanceView.class)))
    @APIResponse(responseCode = "400", description = "invalid state, node, tenant or limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<FleetInstanceView> list(
            @QueryParam("state") @Parameter(description = "only instances in these states, comma-separated (e.g. pending,unschedulable); by default every state but stopped, exited and failed") String state,
            @QueryParam("node") @Parameter(description = "only instances placed on this node") String node,
            @QueryParam("tenant") @Parameter(description = "only this tenant's instances") String tenant,
            @QueryParam("limit") @Parameter(description = "at most this many, 1.." + FleetInstanceQuery.MAX_LIMIT
                    + " (default " + FleetInstanceQuery.DEFAULT_LIMIT
                    + ")", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = ""
                            + FleetInstanceQuery.MAX_LIMIT, defaultValue = ""
                                    + FleetInstanceQuery.DEFAULT_LIMIT)) String limit) {
        caller.operator(Scope.READ);
        FleetInstanceQuery.Parsed parsed = FleetInstanceQuery.parse(state, node, tenant, limit);
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.invalid(parsed.errors());
        }
        return nodes.instances(parsed.query());
    }
}
