package dev.nanofleet.controlapi.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.tenant.SpendHoldView;
import dev.nanofleet.controlapi.tenant.TenantEntity;
import dev.nanofleet.controlapi.tenant.Tenants;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who the API takes the caller for: what {@code nanofleet whoami} shows. */
@Path("/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "identity", description = "Who the API takes the caller for")
@SecurityRequirement(name = "bearer")
public class MeResource {

    private final Caller caller;
    private final Tenants tenants;

    MeResource(Caller caller, Tenants tenants) {
        this.caller = caller;
        this.tenants = tenants;
    }

    /** The caller as the API sees it. */
    @Schema(name = "Me")
    public record MeView(@Schema(required = true, example = "user:alice") String subject,
            @Schema(required = true, enumeration = {
                    "user", "token"}) String kind,
            String tenant,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "the caller's tenant's trust for new work: untrusted tenants run only in their own VMs (isolation auto means hardware), trusted ones may share a node's kernel (auto means shared); absent without a tenant", enumeration = {
                    "trusted", "untrusted"}) String trust,
            @Schema(required = true) boolean operator, @Schema(required = true) List<Scope> scopes,
            Instant expiresAt, UUID tokenId,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "present while the caller's tenant's hard spend limit is reached: what spends more is refused (402)") SpendHoldView spendHold){
    }

    @GET
    @Operation(operationId = "getMe", summary = "The caller: user or API token, tenant, operator or not, scopes, and the tenant's spend hold if it has one")
    public MeView me() {
        CallerIdentity me = caller.identity();
        Optional<TenantEntity> tenant = me.tenant() == null ? Optional.empty() : tenants.find(me.tenant());
        return new MeView(me.actor(), me.isToken() ? "token" : "user", me.tenant(),
                tenant.map(t -> EnumNames.json(t.trustForNewWork())).orElse(null), me.operator(),
                me.scopes().stream().sorted().toList(), me.expiresAt(), me.tokenId(),
                tenant.flatMap(SpendHoldView::of).orElse(null));
    }
}
