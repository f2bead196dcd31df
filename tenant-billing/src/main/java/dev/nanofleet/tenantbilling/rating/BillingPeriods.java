package dev.nanofleet.tenantbilling.rating;

import java.time.Instant;

/**
 * How time is cut into billing periods: calendar months in UTC in production, fixed lengths (minutes) in tests. Pure
 * and thread-safe.
 */
public interface BillingPeriods {

    /** The period that holds {@code t}. */
    Period containing(Instant t);

    default Period next(Period period) {
        return containing(period.end());
    }

    default Period previous(Period period) {
        return containing(period.start().minusNanos(1));
    }
}
