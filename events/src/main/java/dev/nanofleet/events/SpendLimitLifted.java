package dev.nanofleet.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A tenant held by its hard spend limit may spend again: the limit was raised or removed, or a new billing period began.
 * Its stopped deployments stay stopped until the tenant starts them.
 *
 * @param limit the limit now in force; null when the tenant has none
 * @param reason why, in words (e.g. "limit raised to 50.00 USD", "a new billing period began")
 */
public record SpendLimitLifted(String tenant, Instant periodStart, BigDecimal limit, BigDecimal spend,
        String currency, String reason) implements EventPayload {

    @Override
    public String partitionKey() {
        return tenant;
    }
}
