package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import jakarta.annotation.security.RolesAllowed;
import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.controlapi.nodeos.NodeUpgrades;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fleet, for operators. */
@Path("/v1/nodes")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "The fleet, for operators")
public class NodesResource {

    private final NodeService nodes;
    private final NodeUpgrades upgrades;
    private final Caller caller;

    NodesResource(NodeService nodes, NodeUpgrades upgrades, Caller caller) {
        this.nodes = nodes;
        this.upgrades = upgrades;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listNodes", summary = "Every registered node with its capacity and readiness, and what runs there: reserved, measured, per isolation mode, whose shared kernel (operators only)")
    public List<NodeView> list() {
        caller.operator(Scope.READ);
        return nodes.list();
    }

    @GET
    @Path("{name}")
    @Operation(operationId = "getNode", summary = "One node with every instance placed there that has not ended (operators only)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeDetailView.class)))
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NodeDetailView get(@PathParam("name") String name) {
        caller.operator(Scope.READ);
        return nodes.get(name);
    }

    @DELETE
    @Path("{name}")
    @Operation(operationId = "removeNode", summary = "Remove a node: its credential is revoked (its next call is refused), it is marked lost so the"
            + " scheduler places its replicas elsewhere, and it leaves the fleet; the name may enroll again with a new join token"
            + " (operators only)")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response remove(@PathParam("name") String name) {
        nodes.remove(name, caller.operator(Scope.ADMIN).actor());
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/cordon")
    @Operation(operationId = "cordonNode", summary = "Cordon a node: what runs there stays, the scheduler places nothing new on it (operators only)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeView.class)))
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NodeView cordon(@PathParam("name") String name) {
        caller.operator(Scope.ADMIN);
        return nodes.setScheduling(name, NodeScheduling.CORDONED);
    }

    @POST
    @Path("{name}/drain")
    @Operation(operationId = "drainNode", summary = "Drain a node: nothing new goes there and the scheduler re-places what runs there (operators only)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeView.class)))
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NodeView drain(@PathParam("name") String name) {
        caller.operator(Scope.ADMIN);
        return nodes.setScheduling(name, NodeScheduling.DRAINING);
    }

    /** The body of {@code POST /v1/nodes/{name}/upgrade}. */
    public record UpgradeRequest(
            @Schema(required = true, description = "a version GET /v1/node-os-releases lists") String version) {
    }

    @POST
    @Path("{name}/upgrade")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "upgradeNode", summary = "Upgrade a node's OS: it writes the release to its idle root slot,"
            + " is drained, reboots into the new slot and registers again; if the new slot does not come up it falls"
            + " back to the old one by itself (rolled-back). GET /v1/nodes/{name} shows the progress (operators only)")
    @APIResponse(responseCode = "202", description = "asked of the node", content = @Content(schema = @Schema(implementation = NodeUpgradeView.class)))
    @APIResponse(responseCode = "400", description = "version missing or no listed release", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "no releases configured, the node does not run the node OS, runs"
            + " that version already or has an upgrade in progress", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upgrade(@PathParam("name") String name, UpgradeRequest request) {
        String actor = caller.operator(Scope.ADMIN).actor();
        NodeUpgradeView upgrade = upgrades.request(name, request == null ? null : request.version(), actor);
        return Response.accepted(upgrade).build();
    }

    @POST
    @Path("{name}/uncordon")
    @Operation(operationId = "uncordonNode", summary = "Make a cordoned or draining node schedulable again (operators only)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeView.class)))
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NodeView uncordon(@PathParam("name") String name) {
        caller.operator(Scope.ADMIN);
        return nodes.setScheduling(name, NodeScheduling.SCHEDULABLE);
    }
}
