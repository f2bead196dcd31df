package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's deployments. The tenant is always the token's, never the body's. */
@Path("/v1/deployments")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "deployments", description = "What a tenant runs: deployments and their replicas")
public class DeploymentResource {

    private final DeploymentService deployments;
    private final Caller caller;

    DeploymentResource(DeploymentService deployments, Caller caller) {
        this.deployments = deployments;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createDeployment", summary = "Create a deployment; its replicas are stored PENDING and handed to the scheduler")
    @APIResponse(responseCode = "201", description = "created", headers = @Header(name = "Location", description = "the new deployment's URL", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri")), content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "400", description = "invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "name taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "isolation not allowed for this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(CreateDeploymentRequest request, UriInfo uri) {
        DeploymentView created = deployments.create(caller.tenant(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listDeployments", summary = "The caller's tenant's deployments, oldest first")
    public List<DeploymentView> list() {
        return deployments.list(caller.tenant());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getDeployment", summary = "One deployment with its instances")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DeploymentView get(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        return deployments.get(caller.tenant(), id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "scaleDeployment", summary = "Scale a deployment: added replicas go to the scheduler, the highest ordinals are stopped first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "400", description = "invalid replica count", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the deployment is deleted", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DeploymentView scale(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            ScaleDeploymentRequest request) {
        return ConcurrentChange.retry(() -> deployments.scale(caller.tenant(), id, request));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteDeployment", summary = "Delete a deployment: its replicas are stopped by their nodes")
    @APIResponse(responseCode = "202", description = "accepted: the deployment, deleted; its replicas stop", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        return Response.accepted(ConcurrentChange.retry(() -> deployments.delete(caller.tenant(), id))).build();
    }
}
