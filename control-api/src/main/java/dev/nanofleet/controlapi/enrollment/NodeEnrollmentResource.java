package dev.nanofleet.controlapi.enrollment;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeEnrollment;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where a new node trades a join token for its own credential. It holds no other credential yet, so the token is in
 * the body and the endpoint needs no authentication; everything else of the node API then takes the node credential.
 */
@Path(NodeApi.ENROLLMENTS)
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "node-api", description = "What node agents call: registration, heartbeats, assignments, reports")
// in the node API's document (/q/openapi-node-api), like NodeApiResource
@Extension(name = "x-smallrye-profile-node-api", value = "")
public class NodeEnrollmentResource {

    private final NodeCredentials credentials;

    NodeEnrollmentResource(NodeCredentials credentials) {
        this.credentials = credentials;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "enrollNode", summary = "Enroll a new node with a join token (one use of it): the answer holds the node's own credential"
            + " (nfn_...), shown this once, for every other node API call")
    @APIResponse(responseCode = "201", description = "enrolled", content = @Content(schema = @Schema(implementation = NodeEnrollment.Enrolled.class)))
    @APIResponse(responseCode = "400", description = "invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "the join token is unknown, expired, revoked or used up (which is not said)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the name is enrolled already", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response enroll(NodeEnrollment enrollment) {
        return Response.status(Response.Status.CREATED).entity(credentials.enroll(enrollment)).build();
    }
}
