package dev.nanofleet.scheduler.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The nodes in scan order plus where each deployment runs, kept current as placements are applied. Scan order takes
 * the zones in turn (zone names sorted, node names sorted within a zone: Kubernetes' node tree), so a sample of
 * consecutive nodes covers every zone, and the order never depends on how the caller listed the nodes.
 */
final class FleetIndex {

    private final NodeView[] order;
    private final Map<String, Integer> position = new HashMap<>();
    private final Map<UUID, Map<String, Integer>> zonesByDeployment = new HashMap<>();
    private final Map<UUID, Integer> totals = new HashMap<>();
    private final Map<String, List<Integer>> kernelsByTenant = new HashMap<>();

    FleetIndex(Collection<NodeView> nodes) {
        TreeMap<String, List<NodeView>> byZone = new TreeMap<>();
        for (NodeView node : nodes) {
            byZone.computeIfAbsent(node.zone(), z -> new ArrayList<>()).add(node);
        }
        List<List<NodeView>> zones = new ArrayList<>(byZone.values());
        zones.forEach(z -> z.sort(Comparator.comparing(NodeView::name)));
        order = new NodeView[nodes.size()];
        int filled = 0;
        for (int round = 0; filled < order.length; round++) {
            for (List<NodeView> zone : zones) {
                if (round < zone.size()) {
                    NodeView node = zone.get(round);
                    if (position.putIfAbsent(node.name(), filled) != null) {
                        throw new IllegalArgumentException("two nodes named " + node.name());
                    }
                    order[filled++] = node;
                }
            }
        }
        for (int i = 0; i < order.length; i++) {
            if (order[i].kernelOwner() != null) {
                kernelsByTenant.computeIfAbsent(order[i].kernelOwner(), t -> new ArrayList<>()).add(i);
            }
        }
        for (NodeView node : order) {
            node.replicasByDeployment().forEach((deployment, count) -> count(deployment, node.zone(), count));
        }
    }

    int size() {
        return order.length;
    }

    NodeView at(int index) {
        return order[index];
    }

    /** Scan positions of the nodes whose kernel {@code tenant} owns, in scan order; empty when none. */
    List<Integer> kernelsOf(String tenant) {
        return kernelsByTenant.getOrDefault(tenant, List.of());
    }

    Footprint footprint(UUID deployment) {
        Integer total = totals.get(deployment);
        return total == null ? Footprint.NONE : new Footprint(total, zonesByDeployment.get(deployment));
    }

    void apply(PlacementDecision.Placed placed) {
        int index = position.get(placed.nodeName());
        NodeView before = order[index];
        NodeView node = before.withPlaced(placed.request(), placed.charged());
        order[index] = node;
        if (before.kernelOwner() == null && node.kernelOwner() != null) {
            List<Integer> kernels = kernelsByTenant.computeIfAbsent(node.kernelOwner(), t -> new ArrayList<>());
            // kept in scan order, so the candidates (and with them the decision) do not depend on placement history
            int at = java.util.Collections.binarySearch(kernels, index);
            kernels.add(-at - 1, index);
        }
        count(placed.request().deploymentId(), node.zone(), 1);
    }

    Map<String, NodeView> byName() {
        Map<String, NodeView> nodes = new HashMap<>();
        for (NodeView node : order) {
            nodes.put(node.name(), node);
        }
        return nodes;
    }

    private void count(UUID deployment, String zone, int replicas) {
        if (replicas <= 0) {
            return;
        }
        zonesByDeployment.computeIfAbsent(deployment, d -> new HashMap<>()).merge(zone, replicas, Integer::sum);
        totals.merge(deployment, replicas, Integer::sum);
    }
}
