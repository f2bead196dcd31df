package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.PageLimit;
import dev.nanofleet.events.InstanceState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request of {@code GET /v1/instances} (operators): instances in these states (by default every state but the ended
 * ones), optionally only on one node or of one tenant, at most {@code limit}. Pure: parsed and checked here, so the
 * rules are tested directly.
 *
 * @param node only instances placed on this node, or null for any
 * @param tenant only this tenant's instances, or null for any
 */
public record FleetInstanceQuery(Set<InstanceState> states, String node, String tenant, int limit) {

    public static final int DEFAULT_LIMIT = 200;
    public static final int MAX_LIMIT = 1000;
    /** Node names are bounded like a node's labels; tenant ids are DNS labels, shorter still. */
    static final int MAX_NAME_LENGTH = 253;
    static final Set<InstanceState> NOT_ENDED = Arrays.stream(InstanceState.values())
            .filter(s -> !s.isTerminal()).collect(Collectors.toCollection(() -> EnumSet.noneOf(InstanceState.class)));
    static final String STATE_NAMES = Arrays.stream(InstanceState.values()).map(EnumNames::json)
            .collect(Collectors.joining(", ", "[", "]"));

    public FleetInstanceQuery {
        states = Set.copyOf(states);
    }

    /** Parsed query, or the field errors naming each bad parameter. */
    public record Parsed(FleetInstanceQuery query, List<FieldError> errors) {
    }

    public static Parsed parse(String state, String node, String tenant, String limit) {
        List<FieldError> errors = new ArrayList<>();
        Set<InstanceState> states = NOT_ENDED;
        if (state != null) {
            states = states(state, errors);
        }
        int size = PageLimit.parse(limit == null ? null : limit.trim(), DEFAULT_LIMIT, MAX_LIMIT, errors);
        String nodeName = name("node", node, errors);
        String tenantId = name("tenant", tenant, errors);
        return new Parsed(errors.isEmpty() ? new FleetInstanceQuery(states, nodeName, tenantId, size) : null, errors);
    }

    /** Comma-separated state names as the API writes them ({@code running,unschedulable}); any case, spaces around. */
    private static Set<InstanceState> states(String list, List<FieldError> errors) {
        Set<InstanceState> states = EnumSet.noneOf(InstanceState.class);
        for (String item : list.split(",", -1)) {
            String name = item.strip();
            InstanceState found = Arrays.stream(InstanceState.values())
                    .filter(s -> EnumNames.json(s).equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
            if (found == null) {
                errors.add(new FieldError("state", "'" + printable(name) + "' is not one of " + STATE_NAMES
                        + " (a comma-separated list)"));
                return Set.of();
            }
            states.add(found);
        }
        return states;
    }

    /**
     * An exact name to filter by, or null for none. Control characters (NUL above all, which PostgreSQL cannot take as
     * a parameter) and overlong values are refused rather than matched against nothing.
     */
    private static String name(String field, String value, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_NAME_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must be at most " + MAX_NAME_LENGTH
                    + " characters without control characters"));
            return null;
        }
        return value;
    }

    /** What the client sent, safe to echo in a problem: no control characters, not too long. */
    private static String printable(String value) {
        String cleaned = value.chars().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }
}
