package dev.nanofleet.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's spend in the current period reached its hard limit: control-api stops the tenant's running deployments
 * and refuses new or larger ones until {@link SpendLimitLifted}. Amounts are exact decimals in the currency named.
 */
public record SpendLimitReached(String tenant, Instant periodStart, Instant periodEnd, BigDecimal limit,
        BigDecimal spend, String currency) implements EventPayload {

    @Override
    public String partitionKey() {
        return tenant;
    }
}
