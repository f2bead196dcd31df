package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.CallerIdentity;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API tokens for automation. A tenant's people (or its tokens with {@code admin}) manage the tenant's tokens; operators
 * manage operator tokens. Managing tokens needs the {@code admin} scope.
 */
@Path("/v1/tokens")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens", description = "API tokens for automation")
@SecurityRequirement(name = "bearer")
public class ApiTokenResource {

    private final ApiTokenStore tokens;
    private final Caller caller;

    ApiTokenResource(ApiTokenStore tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createToken", summary = "Create an API token; its secret is in this answer only")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = TokenRequests.Created.class)))
    @APIResponse(responseCode = "400", description = "invalid fields, or scopes beyond the creator's", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "too many active tokens", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(TokenRequests.Create request, UriInfo uri) {
        TokenRequests.Created created = tokens.create(owner(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listTokens", summary = "The caller's tenant's tokens (operators: the operator tokens), without secrets")
    public List<TokenRequests.View> list() {
        return tokens.list(owner());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeToken", summary = "Revoke a token: the next request made with it is refused")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "404", description = "no such token of this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response revoke(@PathParam("id") String id) {
        tokens.revoke(owner(), id);
        return Response.noContent().build();
    }

    /** The tokens' owner: the caller's tenant, or the operators for an operator without a tenant. */
    private CallerIdentity owner() {
        CallerIdentity identity = caller.identity();
        if (identity.tenant() == null && identity.operator()) {
            return caller.operator(Scope.ADMIN);
        }
        caller.tenant(Scope.ADMIN);
        return identity;
    }
}
