package dev.nanofleet.tenantbilling.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of an instance's samples: those taken after {@code since} (by default the last hour), at most
 * {@code limit}. Pure: parsed and checked here so the rules are tested directly.
 */
public record SamplesQuery(Instant since, int limit) {

    public static final Duration DEFAULT_SPAN = Duration.ofHours(1);
    /** An hour of samples at a node's fastest useful rate (every 5 s); the default rate (15 s) gives three hours. */
    public static final int DEFAULT_LIMIT = 720;
    public static final int MAX_LIMIT = 5000;
    /** What PostgreSQL and a four-digit ISO year both hold; nothing was sampled before the epoch. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The query, or the errors naming each bad parameter. */
    public record Parsed(SamplesQuery query, List<FieldError> errors) {
    }

    public static Parsed parse(String since, String limit, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Instant start = now.minus(DEFAULT_SPAN);
        if (since != null) {
            try {
                start = Instant.parse(since.trim());
                if (start.isBefore(EARLIEST) || start.isAfter(LATEST)) {
                    errors.add(new FieldError("since", "must be between " + EARLIEST + " and " + LATEST));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("since", "'" + since + "' is not an ISO-8601 instant like "
                        + "2026-01-01T00:00:00Z"));
            }
        }
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
        return errors.isEmpty() ? new Parsed(new SamplesQuery(start, size), List.of()) : new Parsed(null, errors);
    }
}
