package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.PageLimit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A page request of {@code GET /v1/deployments}: newest first, at most {@code limit}, after an opaque cursor, optionally
 * only names starting with a prefix, and live deployments unless deleted ones are asked for. Pure: parsed and checked
 * here, so the rules are tested directly.
 *
 * @param after the position to continue after (the last item of the previous page), or null for the first page
 */
public record DeploymentListQuery(int limit, Position after, String namePrefix, State state) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    /** Which deployments: live ones (the default), deleted ones, or both. */
    public enum State {
        ACTIVE, DELETED, ALL
    }

    /** Where a page ended: the last item's creation time and id (the sort key, newest first). */
    public record Position(Instant createdAt, UUID id) {

        /** An opaque, URL-safe cursor; clients pass it back and never read it. */
        public String cursor() {
            String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
        }

        static Position parse(String cursor) {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String[] parts = raw.split("\\.", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("three parts expected");
            }
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        }
    }

    /** Parsed query, or the field errors naming each bad parameter. */
    public record Parsed(DeploymentListQuery query, List<FieldError> errors) {
    }

    public static Parsed parse(String limit, String cursor, String name, String state) {
        List<FieldError> errors = new ArrayList<>();
        int size = PageLimit.parse(limit == null ? null : limit.trim(), DEFAULT_LIMIT, MAX_LIMIT, errors);
        Position after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = Position.parse(cursor);
            } catch (RuntimeException e) {
                errors.add(new FieldError("cursor", "is not a cursor this API gave out; start again without one"));
            }
        }
        if (name != null && (name.length() > 63 || name.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("name", "must be at most 63 characters without control characters"));
        }
        State wanted = State.ACTIVE;
        if (state != null) {
            try {
                wanted = State.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "'" + state + "' is not one of [active, deleted, all]"));
            }
        }
        return new Parsed(errors.isEmpty()
                ? new DeploymentListQuery(size, after, name == null || name.isEmpty() ? null : name, wanted)
                : null, errors);
    }
}
