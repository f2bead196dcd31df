package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Resources;

/** The outcome for one request. */
public sealed interface PlacementDecision {

    PlacementRequest request();

    /** Placed on {@code nodeName}, which was charged {@code charged}. */
    record Placed(PlacementRequest request, String nodeName, Resources charged) implements PlacementDecision {
    }

    /** No node can take it now; it stays pending until capacity appears. */
    record Unschedulable(PlacementRequest request, Explanation explanation) implements PlacementDecision {
    }
}
