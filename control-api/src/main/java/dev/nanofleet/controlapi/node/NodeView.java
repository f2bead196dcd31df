package dev.nanofleet.controlapi.node;

import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node as operators see it. {@code state} is READY while heartbeats arrive within the grace period, NOT_READY
 * after it, LOST once control-api marked it lost (its instances are placed elsewhere);
 * {@code scheduling} is what operators let the scheduler do with it (cordon, drain).
 */
public record NodeView(String name, Resources allocatable, List<String> isolations, Map<String, String> labels,
        String agentVersion, Instant registeredAt, Instant lastHeartbeat, NodeState state,
        NodeScheduling scheduling) {

    public enum NodeState {
        READY, NOT_READY, LOST
    }
}
