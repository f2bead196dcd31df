package dev.nanofleet.tenantbilling.limit;

import dev.nanofleet.tenantbilling.rating.Period;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's limit with where it stands in the current period.
 *
 * @param limit null when the tenant has set none
 * @param spend exact spend this period so far (after the free grant)
 * @param alertsSent thresholds already crossed (and announced) this period
 * @param heldSince when the hard limit stopped the tenant this period; null when not held
 */
public record SpendLimitStatus(SpendLimit limit, Period period, BigDecimal spend, List<Integer> alertsSent,
        Instant heldSince) {
}
