package dev.nanofleet.controlapi.eventlog;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.PageLimit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A request of {@code GET /v1/events}: which events (types, deployment, since, and for operators a tenant), where to
 * start (after a sequence number: a page's cursor, {@code after} or {@code Last-Event-ID}) and how many per page. Pure:
 * parsed and checked here, every bad parameter named, so the rules are tested directly.
 *
 * @param types the type names wanted; empty for all
 * @param after the sequence number to continue after; 0 for the beginning
 * @param tenant for operators: only this tenant's events; null for all
 */
public record EventLogQuery(Set<String> types, UUID deploymentId, Instant since, String tenant, long after,
        int limit, boolean follow) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    private static final int MAX_TYPES = 32;

    public EventLogQuery {
        types = Set.copyOf(types);
    }

    /** The query parameters as they came, unparsed. */
    public record Raw(String type, String deployment, String since, String tenant, String cursor, String after,
            String lastEventId, String limit, String follow) {
    }

    /** Parsed query, or the field errors naming each bad parameter. */
    public record Parsed(EventLogQuery query, List<FieldError> errors) {
    }

    /** The opaque cursor of a page that ended at {@code seq}; clients pass it back and never read it. */
    public static String cursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("e." + seq).getBytes(StandardCharsets.US_ASCII));
    }

    public static Parsed parse(Raw raw) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> types = types(raw.type(), errors);
        UUID deployment = null;
        if (present(raw.deployment())) {
            try {
                deployment = UUID.fromString(raw.deployment().strip());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("deployment", "must be a deployment id (a UUID)"));
            }
        }
        Instant since = null;
        if (present(raw.since())) {
            try {
                since = OffsetDateTime.parse(raw.since().strip()).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("since",
                        "must be an RFC 3339 time with an offset, e.g. 2026-12-01T10:00:00Z"));
            }
        }
        String tenant = null;
        if (present(raw.tenant())) {
            tenant = raw.tenant().strip();
            if (!tenant.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                errors.add(new FieldError("tenant", "must be a tenant id (a DNS label)"));
            }
        }
        long after = position(raw, errors);
        int limit = PageLimit.parse(raw.limit() == null ? null : raw.limit().strip(), DEFAULT_LIMIT, MAX_LIMIT, errors);
        boolean follow = false;
        if (raw.follow() != null) {
            switch (raw.follow().strip().toLowerCase(Locale.ROOT)) {
                case "true" -> follow = true;
                case "false" -> follow = false;
                default -> errors.add(new FieldError("follow", "must be true or false"));
            }
        }
        return new Parsed(errors.isEmpty()
                ? new EventLogQuery(types, deployment, since, tenant, after, limit, follow)
                : null, errors);
    }

    private static Set<String> types(String raw, List<FieldError> errors) {
        Set<String> types = new LinkedHashSet<>();
        if (!present(raw)) {
            return types;
        }
        List<String> known = LoggedTypes.names();
        for (String name : raw.split(",", -1)) {
            String type = name.strip();
            if (!known.contains(type)) {
                errors.add(new FieldError("type", "'" + printable(type) + "' is not one of " + LoggedTypes.described()
                        + ", comma-separated"));
                return types;
            }
            types.add(type);
        }
        if (types.size() > MAX_TYPES) {
            errors.add(new FieldError("type", "at most " + MAX_TYPES + " types"));
        }
        return types;
    }

    /** One starting point at most: a page's cursor, {@code after}, or the SSE reconnect header. */
    private static long position(Raw raw, List<FieldError> errors) {
        int given = (present(raw.cursor()) ? 1 : 0) + (present(raw.after()) ? 1 : 0)
                + (present(raw.lastEventId()) ? 1 : 0);
        if (given > 1) {
            errors.add(new FieldError(present(raw.cursor()) ? "cursor" : "after",
                    "give one of cursor, after and Last-Event-ID"));
            return 0;
        }
        if (present(raw.cursor())) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(raw.cursor().strip()),
                        StandardCharsets.US_ASCII);
                if (!decoded.startsWith("e.")) {
                    throw new IllegalArgumentException("not an event cursor");
                }
                return sequence(decoded.substring(2));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("cursor", "is not a cursor this API gave out; start again without one"));
                return 0;
            }
        }
        String field = present(raw.after()) ? "after" : "Last-Event-ID";
        String value = present(raw.after()) ? raw.after() : raw.lastEventId();
        if (!present(value)) {
            return 0;
        }
        try {
            return sequence(value.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be an event's id (a whole number of at least 0)"));
            return 0;
        }
    }

    private static long sequence(String value) {
        if (!value.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("not a sequence number");
        }
        return Long.parseLong(value);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
