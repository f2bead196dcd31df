package dev.nanofleet.node.logs;

import dev.nanofleet.nodeapi.NodeApi;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A validated read of the node's own logs ({@link NodeApi#AGENT_NODE_LOGS}): which log, how many of its last lines,
 * and whether to keep streaming. Pure.
 */
public record NodeLogQuery(Source source, int tail, boolean follow) {

    public static final int DEFAULT_TAIL = 100;
    public static final int MAX_TAIL = 10_000;

    /** Which log. */
    public enum Source {
        /** The agent's own log. */
        AGENT,
        /** The kernel's ring buffer. */
        KERNEL
    }

    /** What was wrong, by query parameter. */
    public static final class Invalid extends RuntimeException {
        private final Map<String, String> fields;

        Invalid(Map<String, String> fields) {
            super("invalid node logs query: " + fields);
            this.fields = Map.copyOf(fields);
        }

        /** Parameter name to what is wrong with it. */
        public Map<String, String> fields() {
            return fields;
        }
    }

    /**
     * @param source {@value NodeApi#NODE_LOG_SOURCE_AGENT} (the default) or {@value NodeApi#NODE_LOG_SOURCE_KERNEL}
     * @param tail 1..{@value #MAX_TAIL}, default {@value #DEFAULT_TAIL}
     * @param follow true or false, default false
     * @throws Invalid naming each bad parameter
     */
    public static NodeLogQuery parse(String source, String tail, String follow) {
        Map<String, String> errors = new LinkedHashMap<>();
        Source which = Source.AGENT;
        if (source != null) {
            switch (source.strip().toLowerCase(Locale.ROOT)) {
                case NodeApi.NODE_LOG_SOURCE_AGENT -> which = Source.AGENT;
                case NodeApi.NODE_LOG_SOURCE_KERNEL -> which = Source.KERNEL;
                default ->
                    errors.put("source", "'" + source + "' is not a log of a node: " + NodeApi.NODE_LOG_SOURCE_AGENT
                            + " or " + NodeApi.NODE_LOG_SOURCE_KERNEL);
            }
        }
        int lines = DEFAULT_TAIL;
        if (tail != null) {
            try {
                lines = Integer.parseInt(tail.strip());
                if (lines < 1 || lines > MAX_TAIL) {
                    errors.put("tail", "must be between 1 and " + MAX_TAIL + ", not " + lines);
                }
            } catch (NumberFormatException e) {
                errors.put("tail", "'" + tail + "' is not an integer between 1 and " + MAX_TAIL);
            }
        }
        boolean following = false;
        if (follow != null) {
            String f = follow.strip().toLowerCase(Locale.ROOT);
            if (f.equals("true") || f.equals("false")) {
                following = f.equals("true");
            } else {
                errors.put("follow", "'" + follow + "' is not a boolean (true or false)");
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new NodeLogQuery(which, lines, following);
    }
}
