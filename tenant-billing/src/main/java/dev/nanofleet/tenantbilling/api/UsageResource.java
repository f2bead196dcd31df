package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.security.BillingCaller;
import dev.nanofleet.tenantbilling.security.Scope;
import dev.nanofleet.tenantbilling.usage.Usage;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's tenant's usage in the current billing period. The tenant is always the token's. */
@Path("/v1/usage")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage", description = "What the tenant has used and will pay this period")
public class UsageResource {

    private final Usage usage;
    private final BillingCaller caller;

    UsageResource(Usage usage, BillingCaller caller) {
        this.usage = usage;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "getUsage", summary = "This period's usage so far, per deployment, isolation mode and UTC day: reserved (billed) beside measured")
    @APIResponse(responseCode = "200", description = "the usage", content = @Content(schema = @Schema(implementation = UsageView.class)))
    public UsageView report() {
        return UsageView.of(usage.report(caller.tenant(Scope.READ).tenant()));
    }

    @GET
    @Path("forecast")
    @Operation(operationId = "getUsageForecast", summary = "This period's projected total at the current rate")
    @APIResponse(responseCode = "200", description = "the forecast", content = @Content(schema = @Schema(implementation = UsageView.ForecastView.class)))
    public UsageView.ForecastView forecast() {
        return UsageView.ForecastView.of(usage.forecast(caller.tenant(Scope.READ).tenant()));
    }
}
