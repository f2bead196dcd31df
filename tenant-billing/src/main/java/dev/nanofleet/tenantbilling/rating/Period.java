package dev.nanofleet.tenantbilling.rating;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A half-open span of time [start, end), a billing period or a part of one. Both ends fall on whole seconds. */
public record Period(Instant start, Instant end) {

    public Period {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a period ends after it starts: " + start + " .. " + end);
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /** This span cut at UTC midnights: one part per calendar day it touches, in order. */
    public List<Period> utcDays() {
        List<Period> days = new ArrayList<>();
        Instant from = start;
        while (from.isBefore(end)) {
            Instant midnight = from.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            Instant to = midnight.isBefore(end) ? midnight : end;
            days.add(new Period(from, to));
            from = to;
        }
        return days;
    }
}
