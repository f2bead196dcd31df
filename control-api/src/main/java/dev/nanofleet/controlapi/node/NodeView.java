package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.openapi.IsolationName;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A node as operators see it in the tenant API, its enums in lower case ({@link EnumNames}). {@code state} is
 * {@link NodeState}; {@code scheduling} is what operators let the scheduler do with it (cordon, drain). The node API
 * answers an agent with {@link RegisteredNode}, which keeps the upper-case names agents read.
 */
public record NodeView(@Schema(required = true) String name, @Schema(required = true) Resources allocatable,
        @Schema(required = true, type = SchemaType.ARRAY, implementation = IsolationName.class) List<String> isolations,
        @Schema(required = true) Map<String, String> labels, String agentVersion,
        @Schema(required = true) Instant registeredAt, Instant lastHeartbeat,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {
                "ready", "not-ready",
                "lost"}, description = "ready: heartbeats arrive; not-ready: none within the grace period; lost: its"
                        + " instances are placed elsewhere") String state,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {"schedulable", "cordoned",
                "draining"}, description = "schedulable: takes new replicas; cordoned: keeps what runs, takes nothing"
                        + " new; draining: what runs is placed elsewhere") String scheduling){

    static NodeView of(RegisteredNode node) {
        return new NodeView(node.name(), node.allocatable(), node.isolations(), node.labels(), node.agentVersion(),
                node.registeredAt(), node.lastHeartbeat(), EnumNames.json(node.state()),
                EnumNames.json(node.scheduling()));
    }
}
