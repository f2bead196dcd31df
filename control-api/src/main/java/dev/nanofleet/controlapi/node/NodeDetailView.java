package dev.nanofleet.controlapi.node;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One node and what runs there: {@code node} as {@code GET /v1/nodes} lists it, {@code instances} every instance
 * placed there that has not ended (what the node's figures sum up), in fleet order.
 */
@Schema(name = "NodeDetail", description = "A node and every instance placed there that has not ended, ordered by"
        + " tenant, deployment and ordinal; node's allocated, used, instances, kernelTenant and vmOverheadBytes sum up"
        + " exactly these")
public record NodeDetailView(@Schema(required = true) NodeView node,
        @Schema(required = true) List<FleetInstanceView> instances) {
}
