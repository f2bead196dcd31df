package dev.nanofleet.controlapi.nodeapi;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.nanofleet.controlapi.logs.LogsSigner;
import dev.nanofleet.controlapi.node.NodeService;
import dev.nanofleet.controlapi.node.NodeView;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What node agents call. A node token (role {@code node}) may only speak for the node its {@code node_name} claim
 * names, like Kubernetes' NodeRestriction: it reads its own assignments and reports its own instances. The method
 * paths spell out {@link NodeApi}'s constants relative to {@link NodeApi#BASE}; the ITs call the constants.
 */
@Path(NodeApi.BASE)
@RolesAllowed(NodeApi.NODE_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "node-api")
@SecurityRequirement(name = "bearer")
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
    @Operation(summary = "Register (or re-register) this node with its allocatable capacity; the answer carries the key"
            + " that verifies the log grants control-api will send the agent")
    public RegistrationAnswer register(@PathParam("node") String node, NodeRegistration registration,
            @Context HttpServerRequest request) {
        caller.requireNode(node);
        // the TCP peer, not a forwarded-for header: the agent URL must be the registering host's own address
        String peer = request.remoteAddress().hostAddress();
        return new RegistrationAnswer(nodes.register(node, registration, peer), signer.publicKey());
    }

    /** The node as registered, and {@value NodeApi#LOGS_GRANT_KEY}. */
    public record RegistrationAnswer(@JsonUnwrapped NodeView node, String logsGrantKey) {
    }

    @POST
    @Path("heartbeat")
    @Operation(summary = "This node is alive")
    public Response heartbeat(@PathParam("node") String node) {
        caller.requireNode(node);
        nodes.heartbeat(node);
        return Response.noContent().build();
    }

    @GET
    @Path("assignments")
    @Operation(summary = "Every instance this node is to run or stop: the full desired set, for level-triggered reconcile")
    public AssignmentList assignments(@PathParam("node") String node) {
        caller.requireNode(node);
        return nodes.assignments(node);
    }

    @PUT
    @Path("instances/{instanceId}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the state of one of this node's instances")
    public Response status(@PathParam("node") String node, @PathParam("instanceId") String instanceId,
            InstanceStatusReport report) {
        caller.requireNode(node);
        nodes.report(node, instanceId, report);
        return Response.noContent().build();
    }

    @POST
    @Path("usage")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report usage samples (CPU time, memory) of this node's running instances")
    public Response usage(@PathParam("node") String node, UsageReport report) {
        caller.requireNode(node);
        nodes.usage(node, report);
        return Response.noContent().build();
    }
}
