package dev.nanofleet.tenantbilling.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nanofleet.tenantbilling.limit.SpendLimits;
import dev.nanofleet.tenantbilling.security.BillingCaller;
import dev.nanofleet.tenantbilling.security.Scope;
import dev.nanofleet.tenantbilling.security.TenantCaller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.math.RoundingMode;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's tenant's monthly spend limit. Reading needs scope {@code read}; setting or removing it needs
 * {@code admin}, as it can stop the tenant's instances.
 */
@Path("/v1/spend-limit")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "spend-limit", description = "A tenant's monthly spend limit, its alerts and hold")
public class SpendLimitResource {

    private final SpendLimits limits;
    private final BillingCaller caller;
    /**
     * Reads the body exactly (decimals as BigDecimal, never a double) and strictly: a key given twice or anything after
     * the JSON value is a malformed request, not silently resolved one way.
     */
    private final ObjectReader body;

    SpendLimitResource(SpendLimits limits, BillingCaller caller, ObjectMapper json) {
        this.limits = limits;
        this.caller = caller;
        this.body = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(JsonNodeFactory.withExactBigDecimals(true));
    }

    @GET
    @Operation(operationId = "getSpendLimit", summary = "The spend limit (null when none) and this period's spend against it")
    @APIResponse(responseCode = "200", description = "the limit and spend", content = @Content(schema = @Schema(implementation = SpendLimitView.class)))
    public SpendLimitView get() {
        return SpendLimitView.of(limits.status(caller.tenant(Scope.READ).tenant()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setSpendLimit", summary = "Set the monthly spend limit; checked at once against this period's spend (a raised limit lifts a hold, a lowered one may impose it)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SpendLimitRequest.class)))
    @APIResponse(responseCode = "200", description = "the limit as set, and the spend against it", content = @Content(schema = @Schema(implementation = SpendLimitView.class)))
    @APIResponse(responseCode = "400", description = "invalid fields (amount, alertThresholds, hard) or a body that is not JSON", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SpendLimitView set(String json) {
        TenantCaller tenant = caller.tenant(Scope.ADMIN);
        SpendLimitRequest.Parsed parsed = SpendLimitRequest.parse(read(json));
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.invalid(parsed.errors());
        }
        SpendLimitRequest request = parsed.request();
        return SpendLimitView.of(limits.set(tenant.tenant(), request.amount().setScale(2, RoundingMode.UNNECESSARY),
                request.alertThresholds(), request.hard(), tenant.actor()));
    }

    @DELETE
    @Operation(operationId = "removeSpendLimit", summary = "Remove the spend limit; a hold it imposed is lifted")
    @APIResponse(responseCode = "200", description = "no limit, and the spend this period", content = @Content(schema = @Schema(implementation = SpendLimitView.class)))
    public SpendLimitView remove() {
        TenantCaller tenant = caller.tenant(Scope.ADMIN);
        return SpendLimitView.of(limits.remove(tenant.tenant(), tenant.actor()));
    }

    private JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            throw new ProblemException(ProblemType.MALFORMED, "the body must be a JSON object with at least amount");
        }
        try {
            return body.readTree(json);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED, "the body is not valid JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                            ? p.getOriginalMessage()
                            : e.getMessage()));
        }
    }
}
