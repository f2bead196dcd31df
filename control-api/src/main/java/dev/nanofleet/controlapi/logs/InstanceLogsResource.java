package dev.nanofleet.controlapi.logs;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import dev.nanofleet.controlapi.security.Tenant;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An instance's output (stdout and stderr, combined, in order), read from the node agent that runs it and streamed
 * through. Tenants read their own tenant's instances; operators read any.
 */
@Path("/v1/instances/{id}/logs")
@Authenticated
@Tag(name = "instances", description = "Replicas: their output")
public class InstanceLogsResource {

    private final InstanceLogsService service;
    private final NodeAgentLogs agents;
    private final Caller caller;

    InstanceLogsResource(InstanceLogsService service, NodeAgentLogs agents, Caller caller) {
        this.service = service;
        this.agents = agents;
        this.caller = caller;
    }

    @GET
    @Blocking
    @Produces("text/plain;charset=UTF-8")
    @Operation(operationId = "getInstanceLogs", summary = "An instance's output: the last `tail` lines, then with follow=true what it writes next, until it ends or the client hangs up")
    @APIResponse(responseCode = "200", description = "the output, streamed", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "invalid tail or follow", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such instance in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "no logs yet: the instance is not placed or not started", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "410", description = "the instance ended and its output was deleted after the retention period", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "the instance's node answered badly", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "the instance's node cannot be reached or serves no logs", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<byte[]> logs(
            @PathParam("id") @Parameter(description = "the instance's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            @Parameter(description = "how many of the last lines", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = ""
                    + InstanceLogsService.MAX_TAIL, defaultValue = ""
                            + InstanceLogsService.DEFAULT_TAIL)) @QueryParam("tail") String tail,
            @Parameter(description = "keep streaming what the instance writes until it ends or the client hangs up", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("follow") String follow) {
        InstanceLogsService.Query query = InstanceLogsService.query(tail, follow);
        Optional<Tenant> tenant; // an operator reads any instance's logs, a tenant only its own
        if (caller.identity().operator() && caller.identity().tenant() == null) {
            caller.operator(Scope.READ);
            tenant = Optional.empty();
        } else {
            tenant = Optional.of(caller.tenant(Scope.READ));
        }
        InstanceLogsService.Source source = service.source(tenant, id);
        return agents.open(source.node(), source.agentUrl(), source.instanceId(), query.tail(), query.follow());
    }
}
