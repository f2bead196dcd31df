package dev.nanofleet.controlapi.enrollment;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Join tokens, for operators: what a new node enrolls with (see {@link NodeEnrollmentResource}). */
@Path("/v1/node-join-tokens")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "The fleet, for operators")
public class NodeJoinTokenResource {

    private final JoinTokens tokens;
    private final Caller caller;

    NodeJoinTokenResource(JoinTokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createNodeJoinToken", summary = "Create a join token new nodes enroll with; its secret is in this answer only (operators only)")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = JoinTokenRequests.Created.class)))
    @APIResponse(responseCode = "400", description = "invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "too many usable join tokens", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(JoinTokenRequests.Create request, UriInfo uri) {
        JoinTokenRequests.Created created = tokens.create(caller.operator(Scope.ADMIN), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listNodeJoinTokens", summary = "The join tokens not revoked, newest first, with the uses they have left, without secrets (operators only)")
    public List<JoinTokenRequests.View> list() {
        caller.operator(Scope.READ);
        return tokens.list();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeNodeJoinToken", summary = "Revoke a join token: no node enrolls with it any more (nodes enrolled with it stay; operators only)")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "404", description = "no such join token", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response revoke(@PathParam("id") String id) {
        tokens.revoke(caller.operator(Scope.ADMIN), id);
        return Response.noContent().build();
    }
}
