package dev.nanofleet.controlapi.eventlog;

import dev.nanofleet.events.EventType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which events the log keeps: every type of the contract except the periodic ones ({@code node.heartbeat},
 * {@code instance.usage-sampled}), which say nothing happened and would drown the rest (billing reads usage).
 */
public final class LoggedTypes {

    /** Never kept. */
    public static final Set<EventType> PERIODIC = EnumSet.of(EventType.NODE_HEARTBEAT,
            EventType.INSTANCE_USAGE_SAMPLED);

    /** The topics the log's consumer reads: those that carry a kept type. */
    public static final List<String> TOPICS = Arrays.stream(EventType.values()).filter(LoggedTypes::kept)
            .map(EventType::topic).distinct().sorted().toList();

    private LoggedTypes() {
    }

    public static boolean kept(EventType type) {
        return !PERIODIC.contains(type);
    }

    /** The type names a filter may name, in the contract's order. */
    public static List<String> names() {
        return Arrays.stream(EventType.values()).filter(LoggedTypes::kept).map(EventType::typeName).toList();
    }

    /** For error messages. */
    static String described() {
        return names().stream().collect(Collectors.joining(", ", "[", "]"));
    }
}
