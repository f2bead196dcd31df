package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.operator.Revenue;
import dev.nanofleet.tenantbilling.security.BillingCaller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What operators see of the money: revenue of final invoices and the top tenants, over a range of time. */
@Path("/v1/operator")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operator", description = "Revenue across tenants, for operators only")
public class OperatorResource {

    private final Revenue revenue;
    private final BillingCaller caller;

    OperatorResource(Revenue revenue, BillingCaller caller) {
        this.revenue = revenue;
        this.caller = caller;
    }

    @GET
    @Path("revenue")
    @Operation(operationId = "getRevenue", summary = "Revenue of final invoices in [from, to) by isolation mode, tenant and day, and usage not yet invoiced")
    @APIResponse(responseCode = "200", description = "the revenue", content = @Content(schema = @Schema(implementation = RevenueView.class)))
    @APIResponse(responseCode = "400", description = "from or to is not an ISO-8601 instant, or to is not after from", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RevenueView revenue(
            @QueryParam("from") @Parameter(description = "start, inclusive (default: 30 days before to)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String from,
            @QueryParam("to") @Parameter(description = "end, exclusive (default: now, or 30 days after from)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String to) {
        caller.operator();
        RevenueQuery query = query(from, to, null);
        return RevenueView.of(revenue.summary(query.from(), query.to()));
    }

    @GET
    @Path("top-tenants")
    @Operation(operationId = "getTopTenants", summary = "The tenants with the most revenue in [from, to), largest first")
    @APIResponse(responseCode = "200", description = "the tenants", content = @Content(schema = @Schema(implementation = RevenueView.TopTenants.class)))
    @APIResponse(responseCode = "400", description = "from, to or limit is invalid, or to is not after from", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RevenueView.TopTenants topTenants(
            @QueryParam("from") @Parameter(description = "start, inclusive (default: 30 days before to)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String from,
            @QueryParam("to") @Parameter(description = "end, exclusive (default: now, or 30 days after from)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String to,
            @QueryParam("limit") @Parameter(description = "at most this many tenants, 1..100 (default 10)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "10")) String limit) {
        caller.operator();
        RevenueQuery query = query(from, to, limit);
        return new RevenueView.TopTenants(query.from(), query.to(), query.limit(),
                RevenueView.TenantAmount.of(revenue.topTenants(query.from(), query.to(), query.limit())));
    }

    private static RevenueQuery query(String from, String to, String limit) {
        RevenueQuery.Parsed parsed = RevenueQuery.parse(from, to, limit, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.invalid(parsed.errors());
        }
        return parsed.query();
    }
}
