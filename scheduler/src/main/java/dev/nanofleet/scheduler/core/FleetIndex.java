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

    Footprint footprint(UUID deployment) {
        Integer total = totals.get(deployment);
        return total == null ? Footprint.NONE : new Footprint(total, zonesByDeployment.get(deployment));
    }

    void apply(PlacementDecision.Placed placed) {
        int index = position.get(placed.nodeName());
        NodeView node = order[index].withPlaced(placed.request(), placed.charged());
        order[index] = node;
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
