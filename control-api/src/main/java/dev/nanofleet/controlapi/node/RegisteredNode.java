package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.openapi.IsolationName;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A node as the node API answers its agent's registration: {@code state} and {@code scheduling} by their Java names
 * (upper case), the node API's spelling that agents read. Operators get the same node as {@link NodeView}, in the
 * tenant API's lower case.
 */
public record RegisteredNode(@Schema(required = true) String name, @Schema(required = true) Resources allocatable,
        @Schema(required = true, type = SchemaType.ARRAY, implementation = IsolationName.class) List<String> isolations,
        @Schema(required = true) Map<String, String> labels, String agentVersion,
        @Schema(required = true) Instant registeredAt, Instant lastHeartbeat, @Schema(required = true) NodeState state,
        @Schema(required = true) NodeScheduling scheduling, String osVersion, String bootSlot) {

    static RegisteredNode of(NodeEntity node, NodeState state) {
        return new RegisteredNode(node.name, new Resources(node.cpuMillis, node.memoryMiB),
                node.isolations.stream().sorted().map(EnumNames::json).toList(), node.labels, node.agentVersion,
                node.registeredAt, node.lastHeartbeat, state, node.scheduling, node.osVersion, node.bootSlot);
    }
}
