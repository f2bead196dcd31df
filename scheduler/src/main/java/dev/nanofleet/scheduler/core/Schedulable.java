package dev.nanofleet.scheduler.core;

import java.util.Optional;

/** Only a {@link NodeStatus#READY} node takes something new; a cordoned, draining or lost one says which it is. */
public final class Schedulable implements NodeFilter {

    public static final String CORDONED = "node cordoned";
    public static final String DRAINING = "node draining";
    public static final String LOST = "node lost";

    private static final Optional<String> CORDONED_REASON = Optional.of(CORDONED);
    private static final Optional<String> DRAINING_REASON = Optional.of(DRAINING);
    private static final Optional<String> LOST_REASON = Optional.of(LOST);

    @Override
    public Optional<String> reject(PlacementRequest request, NodeFacts node) {
        return switch (node.status()) {
            case READY -> Optional.empty();
            case CORDONED -> CORDONED_REASON;
            case DRAINING -> DRAINING_REASON;
            case LOST -> LOST_REASON;
        };
    }
}
