package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.openapi.IsolationName;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A node as operators see it. {@code state} is READY while heartbeats arrive within the grace period, NOT_READY
 * after it, LOST once control-api marked it lost (its instances are placed elsewhere);
 * {@code scheduling} is what operators let the scheduler do with it (cordon, drain).
 */
public record NodeView(@Schema(required = true) String name, @Schema(required = true) Resources allocatable,
        @Schema(required = true, type = SchemaType.ARRAY, implementation = IsolationName.class) List<String> isolations,
        @Schema(required = true) Map<String, String> labels, String agentVersion,
        @Schema(required = true) Instant registeredAt, Instant lastHeartbeat, @Schema(required = true) NodeState state,
        @Schema(required = true) NodeScheduling scheduling) {

    public enum NodeState {
        READY, NOT_READY, LOST
    }
}
