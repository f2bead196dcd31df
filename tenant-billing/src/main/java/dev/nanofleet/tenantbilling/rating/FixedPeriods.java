package dev.nanofleet.tenantbilling.rating;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Billing periods of one fixed length, the first starting at the epoch (1970-01-01T00:00Z): minutes make tests of
 * period boundaries, grace and late facts quick.
 *
 * @param length a positive whole number of seconds
 */
public record FixedPeriods(Duration length) implements BillingPeriods {

    public FixedPeriods {
        Objects.requireNonNull(length, "length");
        if (length.isNegative() || length.isZero() || length.getNano() != 0) {
            throw new IllegalArgumentException("a period lasts a positive whole number of seconds: " + length);
        }
    }

    @Override
    public Period containing(Instant t) {
        long seconds = length.getSeconds();
        long start = Math.floorDiv(t.getEpochSecond(), seconds) * seconds;
        return new Period(Instant.ofEpochSecond(start), Instant.ofEpochSecond(start + seconds));
    }
}
