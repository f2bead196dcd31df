package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.rating.FreeGrant;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.PriceVersion;
import dev.nanofleet.tenantbilling.rating.Rates;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The price list as it stands now: the version in effect, the next one if one is scheduled, and the free grant. What
 * the portal shows beside the isolation choice; every amount exact, in the price list's currency.
 */
@Schema(name = "Prices")
public record PricesView(@Schema(required = true, example = "USD") String currency,
        @Schema(required = true, description = "calendar-month, or an ISO-8601 duration (PT2M) for periods of that "
                + "length: what the free grant is granted per") String billingPeriod,
        @Schema(required = true) Instant asOf,
        @Schema(required = true, description = "the version in effect at asOf (the first version, when none has taken "
                + "effect yet: it prices the time before it too)") Version current,
        @Schema(required = true, nullable = true, description = "the version that takes effect after current; null when none is "
                + "scheduled") Version next,
        @Schema(required = true, nullable = true, description = "usage free for each tenant every billing period; null when there is "
                + "none") Grant freeGrant) {

    /** One price version: from its effectiveFrom until the next version's. */
    @Schema(name = "PriceVersion")
    public record Version(@Schema(required = true, example = "launch") String id,
            @Schema(required = true) Instant effectiveFrom, @Schema(required = true) ByIsolation rates) {

        static Version of(PriceVersion version) {
            return new Version(version.id(), version.effectiveFrom(),
                    new ByIsolation(ModeRates.of(version.rates(Isolation.HARDWARE)),
                            ModeRates.of(version.rates(Isolation.SHARED))));
        }
    }

    /** A version's prices per isolation mode, keyed as control-api spells the modes. */
    @Schema(name = "PricesByIsolation")
    public record ByIsolation(
            @Schema(required = true, description = "a replica in a VM of its own (hardware-isolated)") ModeRates hardware,
            @Schema(required = true, description = "a replica in a container on a shared kernel") ModeRates shared) {
    }

    /** What one isolation mode costs per second reserved, and the same per hour (exactly 3600 times as much). */
    @Schema(name = "IsolationPrices")
    public record ModeRates(@Schema(required = true, example = "0.0000135") BigDecimal perVcpuSecond,
            @Schema(required = true, example = "0.0000019") BigDecimal perGibSecond,
            @Schema(required = true, example = "0.0486000") BigDecimal perVcpuHour,
            @Schema(required = true, example = "0.0068400") BigDecimal perGibHour) {

        private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

        static ModeRates of(Rates rates) {
            return new ModeRates(rates.perVcpuSecond(), rates.perGibSecond(),
                    rates.perVcpuSecond().multiply(SECONDS_PER_HOUR), rates.perGibSecond().multiply(SECONDS_PER_HOUR));
        }
    }

    /** Usage each tenant gets free every billing period; it covers the most expensive usage first. */
    @Schema(name = "FreeGrant")
    public record Grant(@Schema(required = true, example = "180000") BigDecimal vcpuSeconds,
            @Schema(required = true, example = "360000") BigDecimal gibSeconds) {
    }

    /** The prices in effect at {@code now}; {@code period} is the billing period as configured. */
    public static PricesView of(PriceList prices, FreeGrant grant, String period, Instant now) {
        PriceVersion current = prices.at(now);
        List<PriceVersion> versions = prices.versions();
        int position = versions.indexOf(current);
        PriceVersion next = position + 1 < versions.size() ? versions.get(position + 1) : null;
        boolean granted = grant.vcpuSeconds().signum() > 0 || grant.gibSeconds().signum() > 0;
        return new PricesView(prices.currency(), period, now, Version.of(current),
                next == null ? null : Version.of(next),
                granted ? new Grant(grant.vcpuSeconds(), grant.gibSeconds()) : null);
    }
}
