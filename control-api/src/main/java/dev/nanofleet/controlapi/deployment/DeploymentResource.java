package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.Scope;
import dev.nanofleet.controlapi.security.Tenant;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import dev.nanofleet.controlapi.problem.ProblemException;
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
    private final IdempotentCreates idempotent;

    DeploymentResource(DeploymentService deployments, Caller caller, IdempotentCreates idempotent) {
        this.idempotent = idempotent;
        this.deployments = deployments;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createDeployment", summary = "Create a deployment; its replicas are stored PENDING and handed to the scheduler")
    @APIResponse(responseCode = "402", description = "the tenant's hard spend limit is reached and this would spend more: the problem's limit, spend, currency and periodEnd say which", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "201", description = "created", headers = @Header(name = "Location", description = "the new deployment's URL", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri")), content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "400", description = "invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "name taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "isolation not allowed for this tenant, a quota would be exceeded, or the Idempotency-Key was used for another request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(CreateDeploymentRequest request,
            @HeaderParam("Idempotency-Key") @Parameter(description = "a retry with the same key (and the same body) within 24 h answers what the first request did instead of creating again", schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255)) String idempotencyKey,
            UriInfo uri) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        if (idempotencyKey == null) {
            DeploymentView created = deployments.create(tenant, request);
            return Response.created(location(uri, created)).entity(created).build();
        }
        IdempotentCreates.validate(idempotencyKey);
        IdempotentCreates.Answer answer;
        try {
            answer = idempotent.create(tenant, idempotencyKey, request, t -> deployments.create(t, request),
                    view -> location(uri, view).toString());
        } catch (IdempotentCreates.ConcurrentFirstUse e) {
            answer = idempotent.stored(tenant, idempotencyKey, request);
        }
        return Response.status(answer.status()).location(URI.create(answer.location()))
                .header("Idempotent-Replayed", Boolean.toString(answer.replayed())).type(MediaType.APPLICATION_JSON)
                .entity(answer.body()).build();
    }

    @GET
    @Operation(operationId = "listDeployments", summary = "The caller's tenant's deployments, newest first, a page at a time; live ones unless state says otherwise")
    @APIResponse(responseCode = "200", description = "a page; when more follow, the Link header (rel=next) and Nanofleet-Next-Cursor say where the next starts", headers = {
            @Header(name = "Link", description = "<...?cursor=...>; rel=\"next\" when more follow", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Nanofleet-Next-Cursor", description = "the cursor of the next page when more follow", schema = @Schema(type = SchemaType.STRING))}, content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeploymentView.class)))
    @APIResponse(responseCode = "400", description = "invalid limit, cursor, name or state", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
            @QueryParam("limit") @Parameter(description = "at most this many, 1..500 (default 100)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100")) String limit,
            @QueryParam("cursor") @Parameter(description = "where the previous page ended (its Nanofleet-Next-Cursor)") String cursor,
            @QueryParam("name") @Parameter(description = "only names starting with this") String name,
            @QueryParam("state") @Parameter(description = "active (default), deleted or all", schema = @Schema(enumeration = {
                    "active", "deleted", "all"}, defaultValue = "active")) String state,
            UriInfo uri) {
        Tenant tenant = caller.tenant(Scope.READ);
        DeploymentListQuery.Parsed parsed = DeploymentListQuery.parse(limit, cursor, name, state);
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.invalid(parsed.errors());
        }
        DeploymentService.Page page = deployments.list(tenant, parsed.query());
        Response.ResponseBuilder response = Response.ok(page.items());
        if (page.next() != null) {
            String next = page.next().cursor();
            response.header("Nanofleet-Next-Cursor", next).header(HttpHeaders.LINK, "<"
                    + uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build() + ">; rel=\"next\"");
        }
        return response.build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getDeployment", summary = "One deployment with its instances")
    @APIResponse(responseCode = "200", description = "the deployment; its ETag is what If-Match names on a change", headers = @Header(name = "ETag", description = "the deployment's version", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        DeploymentService.Versioned found = deployments.get(caller.tenant(Scope.READ), id);
        return Response.ok(found.view()).tag(EntityTag.valueOf(found.etag())).build();
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateDeployment", summary = "Change a deployment: a new spec (image, command, env, secrets, resources, ports, isolation, restart policy, health check) is a new revision rolled out replica by replica; replicas alone scales; rolloutPolicy alone changes how later revisions roll out")
    @APIResponse(responseCode = "402", description = "the tenant's hard spend limit is reached and this would grow the deployment or roll out new replicas: the problem's limit, spend, currency and periodEnd say which", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "the deployment as changed", headers = @Header(name = "ETag", description = "the deployment's new version", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "412", description = "If-Match named a version the deployment is no longer at", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "a quota would be exceeded, or the isolation is not allowed for this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "invalid fields, or nothing to change", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the deployment is deleted", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response update(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            UpdateDeploymentRequest request,
            @HeaderParam("If-Match") @Parameter(description = "change only if the deployment is still at this ETag") String ifMatch) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        return versioned(ConcurrentChange.retry(() -> deployments.update(tenant, id, request, ifMatch)));
    }

    @GET
    @Path("{id}/revisions")
    @Operation(operationId = "listRevisions", summary = "A deployment's revisions, newest first: who made each, why, and how its spec differs from the one before")
    @APIResponse(responseCode = "200", description = "the revisions", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = RevisionView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<RevisionView> revisions(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        return deployments.revisions(caller.tenant(Scope.READ), id);
    }

    /** Body of a rollback: the revision to return to, or none for the one before the current. */
    @Schema(name = "Rollback")
    public record RollbackRequest(
            @Schema(description = "the revision whose spec to run again; default the one before the current", minimum = "1") Integer revision) {
    }

    @POST
    @Path("{id}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rollbackDeployment", summary = "Run an earlier revision's spec again, as a new revision rolled out like any change")
    @APIResponse(responseCode = "402", description = "the tenant's hard spend limit is reached and this would grow the deployment or roll out new replicas: the problem's limit, spend, currency and periodEnd say which", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "the deployment, rolling back", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "400", description = "no such revision", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "deleted, only one revision, or the revision runs already", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "a quota would be exceeded, or the revision's isolation is no longer allowed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response rollback(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            RollbackRequest request) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        Integer revision = request == null ? null : request.revision();
        return versioned(ConcurrentChange.retry(() -> deployments.rollback(tenant, id, revision)));
    }

    @POST
    @Path("{id}/stop")
    @Operation(operationId = "stopDeployment", summary = "Stop every replica and free its capacity; the spec, revisions and logs stay (nothing is billed for compute while stopped)")
    @APIResponse(responseCode = "200", description = "the deployment, stopping", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the deployment is deleted", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response stop(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        return versioned(ConcurrentChange.retry(() -> deployments.stop(tenant, id)));
    }

    @POST
    @Path("{id}/start")
    @Operation(operationId = "startDeployment", summary = "Bring a stopped deployment's current revision back, placed anew")
    @APIResponse(responseCode = "402", description = "the tenant's hard spend limit is reached and this would start replicas: the problem's limit, spend, currency and periodEnd say which", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "the deployment, starting", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the deployment is deleted", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        return versioned(ConcurrentChange.retry(() -> deployments.start(tenant, id)));
    }

    @POST
    @Path("{id}/restart")
    @Operation(operationId = "restartDeployment", summary = "Replace every replica one by one with the same spec (a new revision, rolled out)")
    @APIResponse(responseCode = "402", description = "the tenant's hard spend limit is reached and this would start replicas: the problem's limit, spend, currency and periodEnd say which", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "the deployment, restarting", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the deployment is deleted or stopped", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response restart(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        return versioned(ConcurrentChange.retry(() -> deployments.restart(tenant, id)));
    }

    private static Response versioned(DeploymentService.Versioned v) {
        return Response.ok(v.view()).tag(EntityTag.valueOf(v.etag())).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteDeployment", summary = "Delete a deployment: its replicas are stopped by their nodes")
    @APIResponse(responseCode = "202", description = "accepted: the deployment, deleted; its replicas stop", content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(
            @PathParam("id") @Parameter(description = "the deployment's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        Tenant tenant = caller.tenant(Scope.DEPLOY);
        return Response.accepted(ConcurrentChange.retry(() -> deployments.delete(tenant, id))).build();
    }

    private static URI location(UriInfo uri, DeploymentView view) {
        return uri.getAbsolutePathBuilder().path(view.id().toString()).build();
    }
}
