package dev.nanofleet.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant's spend in the current billing period crossed one of its alert thresholds (published once per threshold and
 * period). Amounts are exact decimals in the currency named.
 *
 * @param thresholdPercent the threshold crossed, in percent of the limit
 */
public record SpendAlert(String tenant, Instant periodStart, Instant periodEnd, int thresholdPercent,
        BigDecimal limit, BigDecimal spend, String currency) implements EventPayload {

    @Override
    public String partitionKey() {
        return tenant;
    }
}
