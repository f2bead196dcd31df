package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A node's own logs, for operators: a node OS has no login, so this is where the agent's log and the kernel's messages
 * are read, from the node agent with a grant for that node's logs only, streamed through as an instance's output is.
 * Tenants never see nodes (403).
 */
@Path("/v1/nodes/{name}/logs")
@RolesAllowed("operator")
@Tag(name = "nodes", description = "The fleet, for operators")
public class NodeLogsResource {

    private final NodeLogsService service;
    private final NodeAgentLogs agents;
    private final Caller caller;

    NodeLogsResource(NodeLogsService service, NodeAgentLogs agents, Caller caller) {
        this.service = service;
        this.agents = agents;
        this.caller = caller;
    }

    @GET
    @Blocking
    @Produces("text/plain;charset=UTF-8")
    @Operation(operationId = "getNodeLogs", summary = "A node's own log: its agent's (source=agent) or its kernel's messages (source=kernel), the last `tail` lines, then with follow=true what comes next until the client hangs up (operators only)")
    @APIResponse(responseCode = "200", description = "the log, streamed; kernel messages as dmesg prints them", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "invalid source, tail or follow", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the node cannot read that log (it says why)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "the node answered badly", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "the node cannot be reached or registered no agent URL", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<byte[]> logs(
            @PathParam("name") @Parameter(description = "the node's name") String name,
            @Parameter(description = "which log", schema = @Schema(type = SchemaType.STRING, enumeration = {"agent",
                    "kernel"}, defaultValue = "agent")) @QueryParam("source") String source,
            @Parameter(description = "how many of the last lines", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = ""
                    + InstanceLogsService.MAX_TAIL, defaultValue = ""
                            + InstanceLogsService.DEFAULT_TAIL)) @QueryParam("tail") String tail,
            @Parameter(description = "keep streaming what is logged until the client hangs up", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("follow") String follow) {
        caller.operator(Scope.READ);
        NodeLogsService.Query query = NodeLogsService.query(source, tail, follow);
        NodeLogsService.Agent agent = service.agent(name);
        return agents.openNode(agent.node(), agent.agentUrl(), query.source(), query.tail(), query.follow());
    }
}
