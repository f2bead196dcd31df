package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;

/**
 * Keeps the hardware-isolated replicas of one deployment apart, over nodes and over zones (label {@code zone}): losing
 * a node or a zone should not take every replica with it. Raw score 0..{@link BinPacking#MAX}: the mean of the share
 * of the deployment's replicas that are <em>not</em> on this node and not in this node's zone, weighted by
 * {@code spreadWeight}.
 * <p>
 * Shared-kernel replicas are not spread (the same raw score everywhere): they pack onto their tenant's own kernels,
 * because each extra node they open is a kernel no other tenant may use.
 */
public final class DeploymentSpread implements NodeScorer {

    private final long weight;

    public DeploymentSpread(SchedulerPolicy policy) {
        this.weight = policy.spreadWeight();
    }

    @Override
    public long score(PlacementRequest request, NodeFacts node, Footprint footprint) {
        return weight * raw(request, node, footprint);
    }

    static long raw(PlacementRequest request, NodeFacts node, Footprint footprint) {
        int total = footprint.total();
        if (request.isolation() != Isolation.HARDWARE || total == 0) {
            return BinPacking.MAX;
        }
        long offNode = BinPacking.MAX * (total - node.replicasOf(request.deploymentId())) / total;
        long offZone = BinPacking.MAX * (total - footprint.inZone(node.zone())) / total;
        return (offNode + offZone) / 2;
    }
}
