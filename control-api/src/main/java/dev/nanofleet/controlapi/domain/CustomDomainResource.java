package dev.nanofleet.controlapi.domain;

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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A deployment's own hostnames, served by the edge with the tenant's certificate beside its
 * {@code <name>-<tenant>.<apps domain>} one. A foreign or unknown deployment is 404.
 */
@Path("/v1/deployments/{id}/domains")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "deployments")
public class CustomDomainResource {

    private final CustomDomains domains;
    private final Caller caller;

    CustomDomainResource(CustomDomains domains, Caller caller) {
        this.domains = domains;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putCustomDomain", summary = "Attach a hostname of the tenant's, with its certificate and key, or renew the certificate of one attached already")
    @APIResponse(responseCode = "201", description = "attached", content = @Content(schema = @Schema(implementation = CustomDomainView.class)))
    @APIResponse(responseCode = "200", description = "the certificate of a hostname this deployment has was replaced", content = @Content(schema = @Schema(implementation = CustomDomainView.class)))
    @APIResponse(responseCode = "400", description = "invalid fields: a hostname in the platform's domain, a certificate that does not name it or is not valid now, a key that is not the certificate's", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such deployment of this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the hostname is another deployment's, the deployment is deleted, or it has the most custom domains allowed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response put(@PathParam("id") String id, CustomDomainRequest request, UriInfo uri) {
        CustomDomains.Added added = domains.put(caller.tenant(Scope.DEPLOY), id, request);
        if (!added.created()) {
            return Response.ok(added.domain()).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(added.domain().hostname()).build())
                .entity(added.domain()).build();
    }

    @GET
    @Operation(operationId = "listCustomDomains", summary = "The deployment's custom domains, without keys")
    @APIResponse(responseCode = "200", description = "ordered by hostname", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = CustomDomainView.class)))
    @APIResponse(responseCode = "404", description = "no such deployment of this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<CustomDomainView> list(@PathParam("id") String id) {
        return domains.list(caller.tenant(Scope.READ), id);
    }

    @DELETE
    @Path("{hostname}")
    @Operation(operationId = "removeCustomDomain", summary = "Detach a hostname: the edge stops answering for it")
    @APIResponse(responseCode = "204", description = "detached")
    @APIResponse(responseCode = "404", description = "no such deployment of this tenant, or the deployment has no such hostname", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response remove(@PathParam("id") String id, @PathParam("hostname") String hostname) {
        domains.remove(caller.tenant(Scope.DEPLOY), id, hostname);
        return Response.noContent().build();
    }
}
