package dev.nanofleet.controlapi.nodeapi;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.nanofleet.controlapi.logs.LogsSigner;
import dev.nanofleet.controlapi.node.NodeService;
import dev.nanofleet.controlapi.node.RegisteredNode;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.nodeapi.AssignmentList;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.UsageReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.nanofleet.controlapi.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What node agents call. A node token (role {@code node}) may only speak for the node its {@code node_name} claim
 * names, like Kubernetes' NodeRestriction: it reads its own assignments and reports its own instances. The method
 * paths spell out {@link NodeApi}'s constants relative to {@link NodeApi#BASE}; the ITs call the constants.
 */
@Path(NodeApi.BASE)
@RolesAllowed(NodeApi.NODE_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "node-api", description = "What node agents call: registration, heartbeats, assignments, reports")
// a document of its own (/q/openapi-node-api), not part of the tenant API's (see application.properties)
@Extension(name = "x-smallrye-profile-node-api", value = "")
public class NodeApiResource {

    private final NodeService nodes;
    private final Caller caller;
    private final LogsSigner signer;

    NodeApiResource(NodeService nodes, Caller caller, LogsSigner signer) {
        this.nodes = nodes;
        this.caller = caller;
        this.signer = signer;
    }

    @POST
    @Path("registration")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerNode", summary = "Register (or re-register) this node with its allocatable capacity; the answer carries the key"
            + " that verifies the log grants control-api will send the agent")
    @APIResponse(responseCode = "200", description = "registered", content = @Content(schema = @Schema(implementation = RegistrationAnswer.class)))
    @APIResponse(responseCode = "400", description = "invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "agent URL not allowed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RegistrationAnswer register(@PathParam("node") String node, NodeRegistration registration,
            @Context HttpServerRequest request) {
        caller.requireNode(node);
        // the TCP peer, not a forwarded-for header: the agent URL must be the registering host's own address
        String peer = request.remoteAddress().hostAddress();
        return new RegistrationAnswer(nodes.register(node, registration, peer), signer.publicKey());
    }

    /** The node as registered, and {@value NodeApi#LOGS_GRANT_KEY}. */
    public record RegistrationAnswer(@JsonUnwrapped RegisteredNode node, String logsGrantKey) {
    }

    @POST
    @Path("heartbeat")
    @Operation(operationId = "heartbeat", summary = "This node is alive")
    @APIResponse(responseCode = "204", description = "noted")
    @APIResponse(responseCode = "404", description = "the node never registered", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response heartbeat(@PathParam("node") String node) {
        caller.requireNode(node);
        nodes.heartbeat(node);
        return Response.noContent().build();
    }

    @GET
    @Path("assignments")
    @Operation(operationId = "getAssignments", summary = "Every instance this node is to run or stop: the full desired set, for level-triggered reconcile")
    public AssignmentList assignments(@PathParam("node") String node) {
        caller.requireNode(node);
        return nodes.assignments(node);
    }

    @PUT
    @Path("instances/{instanceId}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "204", description = "stored (or a retry, or stale: nothing changed)")
    @APIResponse(responseCode = "400", description = "invalid report", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "the instance is not placed on this node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Operation(operationId = "reportInstanceStatus", summary = "Report the state of one of this node's instances")
    public Response status(@PathParam("node") String node, @PathParam("instanceId") String instanceId,
            InstanceStatusReport report) {
        caller.requireNode(node);
        nodes.report(node, instanceId, report);
        return Response.noContent().build();
    }

    @POST
    @Path("usage")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "204", description = "stored")
    @APIResponse(responseCode = "400", description = "invalid samples", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Operation(operationId = "reportUsage", summary = "Report usage samples (CPU time, memory) of this node's running instances")
    public Response usage(@PathParam("node") String node, UsageReport report) {
        caller.requireNode(node);
        nodes.usage(node, report);
        return Response.noContent().build();
    }
}
