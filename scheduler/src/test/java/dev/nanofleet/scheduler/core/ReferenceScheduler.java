package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The placement rules written out plainly over {@link NodeView}s, without the index: every footprint summed over the
 * fleet, a tenant's kernels found by a scan, a placement applied with {@link NodeView#withPlaced}. Slow and obviously
 * right; the oracle the indexed {@link Scheduler} must agree with, decision for decision and node for node.
 */
final class ReferenceScheduler {

    private final SchedulerPolicy policy;
    private final List<NodeFilter> filters;
    private final List<NodeScorer> scorers;

    ReferenceScheduler(SchedulerPolicy policy) {
        this.policy = policy;
        this.filters = List.of(new Schedulable(), new OffersIsolation(), new MatchesLabels(), new KernelOwnership(),
                new FitsResources(policy));
        this.scorers = List.of(new DeploymentSpread(policy), new BinPacking(policy));
    }

    Plan placeAll(List<PlacementRequest> requests, Collection<NodeView> nodes) {
        List<NodeView> order = scanOrder(nodes);
        List<PlacementDecision> decisions = new ArrayList<>();
        for (PlacementRequest request : requests) {
            PlacementDecision decision = decide(request, order);
            if (decision instanceof PlacementDecision.Placed placed) {
                for (int i = 0; i < order.size(); i++) {
                    if (order.get(i).name().equals(placed.nodeName())) {
                        order.set(i, order.get(i).withPlaced(request, placed.charged()));
                    }
                }
            }
            decisions.add(decision);
        }
        Map<String, NodeView> byName = new HashMap<>();
        order.forEach(node -> byName.put(node.name(), node));
        return new Plan(decisions, byName);
    }

    /** Zones in turn (sorted), names sorted within a zone. */
    private static List<NodeView> scanOrder(Collection<NodeView> nodes) {
        TreeMap<String, List<NodeView>> byZone = new TreeMap<>();
        nodes.forEach(node -> byZone.computeIfAbsent(node.zone(), z -> new ArrayList<>()).add(node));
        byZone.values().forEach(zone -> zone.sort(Comparator.comparing(NodeView::name)));
        List<NodeView> order = new ArrayList<>();
        for (int round = 0; order.size() < nodes.size(); round++) {
            for (List<NodeView> zone : byZone.values()) {
                if (round < zone.size()) {
                    order.add(zone.get(round));
                }
            }
        }
        return order;
    }

    private PlacementDecision decide(PlacementRequest request, List<NodeView> order) {
        int n = order.size();
        int wanted = policy.feasibleNodesToScore();
        boolean sampling = wanted > 0 && wanted < n;
        int total = 0;
        Map<String, Integer> byZone = new HashMap<>();
        for (NodeView node : order) {
            int replicas = node.replicasOf(request.deploymentId());
            if (replicas > 0) {
                total += replicas;
                byZone.merge(node.zone(), replicas, Integer::sum);
            }
        }
        Footprint footprint = new Footprint(total, byZone);
        boolean ownKernelsFirst = sampling && request.isolation() == Isolation.SHARED;
        NodeView best = null;
        long bestScore = 0;
        int feasible = 0;
        List<NodeView> candidates = new ArrayList<>();
        if (ownKernelsFirst) {
            order.stream().filter(node -> request.tenant().equals(node.kernelOwner())).forEach(candidates::add);
        }
        int ownKernels = candidates.size();
        int start = sampling ? (int) Math.floorMod(Scheduler.seededRank(request.instanceId(), ""), (long) n) : 0;
        for (int i = 0; i < n; i++) {
            NodeView node = order.get((start + i) % n);
            if (!(ownKernelsFirst && request.tenant().equals(node.kernelOwner()))) {
                candidates.add(node);
            }
        }
        for (int k = 0; k < candidates.size(); k++) {
            NodeView node = candidates.get(k);
            // the tenant's own kernels are all seen; the sample stops once it holds enough feasible nodes
            if (k >= ownKernels && sampling && feasible >= wanted) {
                break;
            }
            if (firstRejection(request, node).isPresent()) {
                continue;
            }
            feasible++;
            long score = 0;
            for (NodeScorer scorer : scorers) {
                score += scorer.score(request, node, footprint);
            }
            if (best == null || score > bestScore || (score == bestScore && winsTie(request, node, best))) {
                best = node;
                bestScore = score;
            }
        }
        if (best == null) {
            TreeMap<String, Integer> rejections = new TreeMap<>();
            order.forEach(node -> firstRejection(request, node)
                    .ifPresent(reason -> rejections.merge(reason, 1, Integer::sum)));
            return new PlacementDecision.Unschedulable(request, new Explanation(n, rejections));
        }
        Resources charged = policy.charged(request);
        return new PlacementDecision.Placed(request, best.name(), charged);
    }

    private Optional<String> firstRejection(PlacementRequest request, NodeView node) {
        for (NodeFilter filter : filters) {
            Optional<String> rejected = filter.reject(request, node);
            if (rejected.isPresent()) {
                return rejected;
            }
        }
        return Optional.empty();
    }

    private boolean winsTie(PlacementRequest request, NodeView candidate, NodeView incumbent) {
        return switch (policy.tieBreak()) {
            case NAME -> candidate.name().compareTo(incumbent.name()) < 0;
            case SEEDED -> {
                long c = Scheduler.seededRank(request.instanceId(), candidate.name());
                long i = Scheduler.seededRank(request.instanceId(), incumbent.name());
                yield c != i ? c < i : candidate.name().compareTo(incumbent.name()) < 0;
            }
        };
    }
}
