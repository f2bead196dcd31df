package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.limit.SpendLimit;
import dev.nanofleet.tenantbilling.limit.SpendLimitStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The tenant's spend limit (null when none is set) and where this period's spend stands against it. */
@Schema(name = "SpendLimitStatus")
public record SpendLimitView(
        @Schema(required = true, nullable = true, description = "null when the tenant has set none") Limit limit,
        @Schema(required = true) PeriodView period,
        @Schema(required = true, description = "exact spend this period so far, after the free grant") BigDecimal spend,
        @Schema(required = true, description = "thresholds (percent) already crossed this period") List<Integer> alertsSent,
        @Schema(required = true, nullable = true, description = "when the hard limit stopped the tenant this period; null when not held") Instant heldSince) {

    @Schema(name = "SpendLimit")
    public record Limit(@Schema(required = true, example = "50.00") BigDecimal amount,
            @Schema(required = true) String currency,
            @Schema(required = true, description = "percentages of amount that send an alert") List<Integer> alertThresholds,
            @Schema(required = true, description = "whether reaching amount stops the tenant's instances") boolean hard,
            @Schema(required = true) Instant updatedAt) {
    }

    public static SpendLimitView of(SpendLimitStatus status) {
        SpendLimit limit = status.limit();
        return new SpendLimitView(limit == null
                ? null
                : new Limit(limit.amount(), limit.currency(), limit.alertThresholds(), limit.hard(), limit.updatedAt()),
                PeriodView.of(status.period()), status.spend(), List.copyOf(status.alertsSent()), status.heldSince());
    }
}
