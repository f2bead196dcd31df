package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;

/**
 * Keeps the hardware-isolated replicas of one deployment apart: each replica already on a node costs more than bin
 * packing can ever award, so spreading wins and bin packing orders nodes with equal spread. A VM per replica already
 * pays for isolation; losing one node should not take every replica with it. Shared-kernel replicas are not spread:
 * they pack onto the tenant's own kernels.
 */
public final class DeploymentSpread implements NodeScorer {

    public static final long PENALTY_PER_REPLICA = BinPacking.MAX + 1;

    @Override
    public long score(PlacementRequest request, NodeView node) {
        if (request.isolation() != Isolation.HARDWARE) {
            return 0;
        }
        return -PENALTY_PER_REPLICA * node.replicasOf(request.deploymentId());
    }
}
