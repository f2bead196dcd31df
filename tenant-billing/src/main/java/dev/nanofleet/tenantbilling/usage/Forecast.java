package dev.nanofleet.tenantbilling.usage;

import dev.nanofleet.tenantbilling.rating.Period;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The current period's projected total at the current rate, as Railway shows it.
 *
 * @param soFar exact cost so far, after the free grant
 * @param perHour what the tenant's running instances cost per hour now
 * @param projected soFar plus the current rate until the period ends
 * @param amountDueProjected projected rounded half-even to cents
 */
public record Forecast(String tenant, Period period, Instant asOf, String currency, BigDecimal soFar,
        BigDecimal perHour,
        BigDecimal projected, BigDecimal amountDueProjected) {
}
