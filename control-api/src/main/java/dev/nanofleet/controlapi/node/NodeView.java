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
 * {@link NodeState}; {@code scheduling} is what operators let the scheduler do with it (cordon, drain); the fields
 * after it are what runs there ({@link NodeLoad}). {@code allocated} is what the instances asked for: the scheduler
 * charges a hardware-isolated one its VM overhead on top. The node API answers an agent with {@link RegisteredNode},
 * which keeps the upper-case names agents read.
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
                        + " new; draining: what runs is placed elsewhere") String scheduling,
        @Schema(required = true) Resources allocated, @Schema(required = true) NodeLoad.Used used,
        @Schema(required = true) NodeLoad.InstanceCounts instances,
        @Schema(required = true, nullable = true, description = "the tenant whose shared-kernel instances the node"
                + " runs (no other tenant's may join them); null when it runs none") String kernelTenant,
        @Schema(required = true, description = "the host memory its hardware-isolated instances use beyond what they"
                + " reserved, summed over those measured (each at least 0): the cost of their VMs") long vmOverheadBytes,
        @Schema(nullable = true, description = "the node OS image version it booted; null when it does not run the"
                + " node OS (it cannot be upgraded through the API)") String osVersion,
        @Schema(nullable = true, enumeration = {"a", "b"}, description = "the root slot it booted") String bootSlot,
        @Schema(nullable = true, description = "its latest OS upgrade; null when it never had one") NodeUpgradeView upgrade){

    static NodeView of(RegisteredNode node, NodeLoad load, NodeUpgradeEntity upgrade) {
        return new NodeView(node.name(), node.allocatable(), node.isolations(), node.labels(), node.agentVersion(),
                node.registeredAt(), node.lastHeartbeat(), EnumNames.json(node.state()),
                EnumNames.json(node.scheduling()), load.allocated(), load.used(), load.instances(),
                load.kernelTenant(), load.vmOverheadBytes(), node.osVersion(), node.bootSlot(),
                NodeUpgradeView.of(upgrade));
    }
}
