package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.problem.FieldError;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's placement labels: what a registration offers and what a join token stamps. They ride every
 * {@code node.registered} event, so their count and sizes are bounded like a deployment's env.
 */
public final class NodeLabels {

    public static final int MAX_LABELS = 64;
    public static final int MAX_LABEL_LENGTH = 253;

    private NodeLabels() {
    }

    /** Adds a field error ({@code <field>.<name>}, or {@code <field>} for too many) for each bad label. */
    public static void validate(String field, Map<String, String> labels, List<FieldError> errors) {
        if (labels.size() > MAX_LABELS) {
            errors.add(new FieldError(field, "must have at most " + MAX_LABELS + " labels"));
            return;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String name = field + "." + label.getKey();
            if (label.getKey().isEmpty() || !isPrintable(label.getKey(), MAX_LABEL_LENGTH)) {
                errors.add(new FieldError(name, "the name must be 1-" + MAX_LABEL_LENGTH
                        + " characters without control characters"));
            } else if (label.getValue() == null) {
                errors.add(new FieldError(name, "must be a string, not null"));
            } else if (!isPrintable(label.getValue(), MAX_LABEL_LENGTH)) {
                errors.add(new FieldError(name, "must be at most " + MAX_LABEL_LENGTH
                        + " characters without control characters"));
            }
        }
    }

    /**
     * The labels a node has: what it registered with, and over them what its join token stamped. The stamped ones win,
     * so a node cannot drop or change a label an operator gave it.
     */
    public static Map<String, String> merge(Map<String, String> registered, Map<String, String> stamped) {
        Map<String, String> merged = new TreeMap<>(registered == null ? Map.of() : registered);
        merged.putAll(stamped);
        return merged;
    }

    /** Control characters (NUL above all, which PostgreSQL cannot store) have no place in a name or version. */
    public static boolean isPrintable(String value, int maxLength) {
        return value.length() <= maxLength && value.chars().noneMatch(Character::isISOControl);
    }
}
