package dev.nanofleet.tenantbilling.rating;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Billing periods that are calendar months in UTC: [first of the month 00:00Z, first of the next month 00:00Z). */
public final class CalendarMonths implements BillingPeriods {

    @Override
    public Period containing(Instant t) {
        LocalDate first = t.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        return new Period(first.atStartOfDay().toInstant(ZoneOffset.UTC),
                first.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    @Override
    public String toString() {
        return "CalendarMonths[UTC]";
    }
}
