package dev.nanofleet.edge.core;

import java.util.Set;

/**
 * The event types after which the routes may have changed, so the edge reads them again at once instead of at its next
 * periodic pass: a replica placed, started, stopped or changed health, a deployment scaled (a replica asked to stop
 * leaves the route before its node stops it), stopped, started, revised or deleted.
 */
public final class RouteChangingEvents {

    private static final Set<String> TYPES = Set.of("instance.placed", "instance.state-changed",
            "instance.health-changed", "deployment.created", "deployment.scaled", "deployment.deleted",
            "deployment.revised", "deployment.stopped", "deployment.started", "deployment.rollout-progressed",
            "node.status-changed", "node.removed");

    private RouteChangingEvents() {
    }

    public static boolean changesRoutes(String eventType) {
        return eventType != null && TYPES.contains(eventType);
    }
}
