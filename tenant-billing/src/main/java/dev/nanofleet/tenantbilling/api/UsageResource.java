package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.security.BillingCaller;
import dev.nanofleet.tenantbilling.security.Scope;
import dev.nanofleet.tenantbilling.usage.InstanceSamples;
import dev.nanofleet.tenantbilling.usage.Usage;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's tenant's usage in the current billing period, and what the nodes measured of one of its instances. The
 * tenant is always the token's; operators may read any instance's samples.
 */
@Path("/v1/usage")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage", description = "What the tenant has used and will pay this period")
public class UsageResource {

    private final Usage usage;
    private final InstanceSamples samples;
    private final BillingCaller caller;
    private final Clock clock;

    UsageResource(Usage usage, InstanceSamples samples, BillingCaller caller, Clock clock) {
        this.usage = usage;
        this.samples = samples;
        this.caller = caller;
        this.clock = clock;
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

    @GET
    @Path("instances/{id}/samples")
    @Operation(operationId = "getInstanceSamples", summary = "One instance's CPU and memory over time as its node sampled them, oldest first, with the CPU rate since each previous sample")
    @APIResponse(responseCode = "200", description = "the samples", content = @Content(schema = @Schema(implementation = InstanceSamplesView.class)))
    @APIResponse(responseCode = "400", description = "since is not an ISO-8601 instant, or limit is not 1..5000", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such instance, or another tenant's", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InstanceSamplesView instanceSamples(
            @PathParam("id") @Parameter(description = "the instance's id (control-api's instance id)", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            @QueryParam("since") @Parameter(description = "samples taken after this instant, exclusive (default: an hour ago); to poll, pass the last sampledAt you hold", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String since,
            @QueryParam("limit") @Parameter(description = "at most this many samples, the oldest first, 1..5000 (default 720)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "5000", defaultValue = "720")) String limit) {
        Optional<String> tenant = caller.readableTenant();
        SamplesQuery.Parsed parsed = SamplesQuery.parse(since, limit,
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.invalid(parsed.errors());
        }
        SamplesQuery query = parsed.query();
        return Ids.parse(id).flatMap(uuid -> samples.series(tenant, uuid, query.since(), query.limit()))
                .map(series -> InstanceSamplesView.of(series, query))
                .orElseThrow(() -> ProblemException.notFound("instance " + id));
    }
}
