package dev.nanofleet.tenantbilling.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of the operator's revenue endpoints: a half-open range [from, to) of ISO-8601 instants (by default the 30
 * days before now) and, for the top tenants, how many. Pure: parsed and checked here so the rules are tested directly.
 */
public record RevenueQuery(Instant from, Instant to, int limit) {

    public static final Duration DEFAULT_SPAN = Duration.ofDays(30);
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    /** The query, or the errors naming each bad parameter. */
    public record Parsed(RevenueQuery query, List<FieldError> errors) {
    }

    /** {@code from} and {@code to} default to the 30 days before {@code now}, or around the one given. */
    public static Parsed parse(String from, String to, String limit, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = instant("from", from, errors);
        Instant end = instant("to", to, errors);
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        if (end == null) {
            end = start == null ? now : start.plus(DEFAULT_SPAN);
        }
        if (start == null) {
            start = end.minus(DEFAULT_SPAN);
        }
        if (!end.isAfter(start)) {
            return new Parsed(null, List.of(new FieldError("to", "must be after from (" + start + ")")));
        }
        return new Parsed(new RevenueQuery(start, end, size), List.of());
    }

    private static Instant instant(String name, String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "'" + value + "' is not an ISO-8601 instant like 2026-01-01T00:00:00Z"));
            return null;
        }
    }
}
