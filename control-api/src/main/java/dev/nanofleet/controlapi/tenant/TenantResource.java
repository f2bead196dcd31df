package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.CallerIdentity;
import dev.nanofleet.controlapi.security.Scope;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tenants, administered by operators. A tenant may read its own usage. */
@Path("/v1/tenants")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Tenants, their trust, state and quotas: for operators")
@SecurityRequirement(name = "bearer")
public class TenantResource {

    private final TenantService tenants;
    private final Caller caller;

    TenantResource(TenantService tenants, Caller caller) {
        this.tenants = tenants;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listTenants", summary = "Every tenant (operators)")
    public List<TenantView> list() {
        caller.operator(Scope.READ);
        return tenants.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createTenant", summary = "Create a tenant and its first user (operators); the user's one-time password is in this answer only")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = TenantView.Created.class)))
    @APIResponse(responseCode = "400", description = "invalid fields, or the first user's name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the tenant id is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Keycloak could not make the user; nothing was stored", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(TenantRequests.Create request, UriInfo uri) {
        CallerIdentity operator = caller.operator(Scope.ADMIN);
        TenantView.Created created = tenants.create(request, operator.actor());
        return Response.created(uri.getAbsolutePathBuilder().path(created.tenant().id()).build()).entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTenant", summary = "One tenant (operators)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TenantView.class)))
    @APIResponse(responseCode = "404", description = "no such tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TenantView get(@PathParam("id") String id) {
        caller.operator(Scope.READ);
        return tenants.get(id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateTenant", summary = "Change a tenant's name, trust, state or quotas (operators)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TenantView.class)))
    @APIResponse(responseCode = "400", description = "invalid fields", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TenantView update(@PathParam("id") String id, TenantRequests.Update request) {
        CallerIdentity operator = caller.operator(Scope.ADMIN);
        return tenants.update(id, request, operator.actor());
    }

    @GET
    @Path("{id}/usage")
    @Operation(operationId = "getTenantUsage", summary = "Use against every quota, per isolation mode (operators, and the tenant itself)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TenantView.Usage.class)))
    @APIResponse(responseCode = "404", description = "no such tenant (or another tenant's)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TenantView.Usage usage(@PathParam("id") String id) {
        CallerIdentity identity = caller.identity();
        if (!identity.operator()) {
            if (!id.equals(identity.tenant())) {
                throw ProblemException.notFound("tenant '" + id + "'"); // another tenant's: as if it did not exist
            }
            caller.tenant(Scope.READ);
        } else {
            caller.operator(Scope.READ);
        }
        return tenants.usage(id);
    }
}
