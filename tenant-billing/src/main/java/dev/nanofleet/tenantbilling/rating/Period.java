package dev.nanofleet.tenantbilling.rating;

import java.time.Instant;
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
}
