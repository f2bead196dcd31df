package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.rating.FreeGrant;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.service.BillingRulesConfig;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What each isolation mode costs now, for anyone signed in: the portal shows it beside the isolation choice and the
 * operators' dashboard prices a VM's overhead with it. The price list is public knowledge, so no scope is needed.
 */
@Path("/v1/prices")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "prices", description = "What each isolation mode costs")
public class PricesResource {

    private final PriceList prices;
    private final FreeGrant grant;
    private final String period;
    private final Clock clock;

    PricesResource(PriceList prices, FreeGrant grant, BillingRulesConfig rules, Clock clock) {
        this.prices = prices;
        this.grant = grant;
        this.period = rules.period();
        this.clock = clock;
    }

    @GET
    @Operation(operationId = "getPrices", summary = "The price version in effect now and the next one if scheduled: per isolation mode the price per vCPU-second and per GiB-second; the currency and the free grant")
    @APIResponse(responseCode = "200", description = "the prices", content = @Content(schema = @Schema(implementation = PricesView.class)))
    public PricesView prices() {
        return PricesView.of(prices, grant, period, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }
}
