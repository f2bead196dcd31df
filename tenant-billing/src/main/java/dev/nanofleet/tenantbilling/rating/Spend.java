package dev.nanofleet.tenantbilling.rating;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a tenant has spent so far in the current period and where it is heading, all exact (never rounded).
 *
 * @param period the period that holds the moment asked about
 * @param usage what the period's usage up to that moment costs after the free grant; never negative
 * @param perSecond what the instances billable at that moment cost per second, at the prices then in force
 * @param forecast usage plus perSecond times the whole seconds left in the period: what the period costs if nothing
 *            changes (like Railway's estimate)
 */
public record Spend(Period period, BigDecimal usage, BigDecimal perSecond, BigDecimal forecast) {

    public Spend {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(perSecond, "perSecond");
        Objects.requireNonNull(forecast, "forecast");
    }
}
