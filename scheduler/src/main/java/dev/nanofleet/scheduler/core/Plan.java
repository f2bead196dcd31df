package dev.nanofleet.scheduler.core;

import java.util.List;
import java.util.Map;

/**
 * The result of one scheduling pass: a decision per request, in request order, and the nodes as they look with every
 * placement applied (only the changed ones need writing back).
 */
public record Plan(List<PlacementDecision> decisions, Map<String, NodeView> nodes) {

    public Plan {
        decisions = List.copyOf(decisions);
        nodes = Map.copyOf(nodes);
    }

    public List<PlacementDecision.Placed> placed() {
        return decisions.stream()
                .filter(PlacementDecision.Placed.class::isInstance)
                .map(PlacementDecision.Placed.class::cast)
                .toList();
    }

    public List<PlacementDecision.Unschedulable> unschedulable() {
        return decisions.stream()
                .filter(PlacementDecision.Unschedulable.class::isInstance)
                .map(PlacementDecision.Unschedulable.class::cast)
                .toList();
    }
}
