package dev.nanofleet.scheduler.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Filter, score, select. For each request every node runs the filters in order (the first rejection is the node's
 * reason); the survivors are scored by the sum of the scorers and the best wins, ties settled by the
 * {@link TieBreak}. The result depends only on the requests, the nodes and the policy: not on input order, time or
 * randomness. Immutable and thread-safe.
 */
public final class Scheduler {

    private final SchedulerPolicy policy;
    private final List<NodeFilter> filters;
    private final List<NodeScorer> scorers;

    /** The standard pipeline. */
    public Scheduler(SchedulerPolicy policy) {
        this(policy,
                List.of(new Schedulable(), new OffersIsolation(), new KernelOwnership(), new FitsResources(policy)),
                List.of(new DeploymentSpread(), new BinPacking(policy)));
    }

    public Scheduler(SchedulerPolicy policy, List<NodeFilter> filters, List<NodeScorer> scorers) {
        this.policy = policy;
        this.filters = List.copyOf(filters);
        this.scorers = List.copyOf(scorers);
    }

    public SchedulerPolicy policy() {
        return policy;
    }

    /** Places one request over {@code nodes}. */
    public PlacementDecision place(PlacementRequest request, Collection<NodeView> nodes) {
        // sorted by name, so neither the caller's order nor a hash order can change the outcome
        List<NodeView> sorted = nodes.stream().sorted(java.util.Comparator.comparing(NodeView::name)).toList();
        Map<String, Integer> rejections = new TreeMap<>();
        NodeView best = null;
        long bestScore = Long.MIN_VALUE;
        for (NodeView node : sorted) {
            Optional<String> rejected = firstRejection(request, node);
            if (rejected.isPresent()) {
                rejections.merge(rejected.get(), 1, Integer::sum);
                continue;
            }
            long score = score(request, node);
            if (best == null || score > bestScore || (score == bestScore && winsTie(request, node, best))) {
                best = node;
                bestScore = score;
            }
        }
        if (best == null) {
            return new PlacementDecision.Unschedulable(request, new Explanation(sorted.size(), rejections));
        }
        return new PlacementDecision.Placed(request, best.name(), policy.charged(request));
    }

    /**
     * Places requests one after another, each seeing the nodes as the earlier ones left them, so replicas of one pass
     * never overbook a node and spread over each other.
     */
    public Plan placeAll(List<PlacementRequest> requests, Collection<NodeView> nodes) {
        Map<String, NodeView> view = new HashMap<>();
        for (NodeView node : nodes) {
            view.put(node.name(), node);
        }
        List<PlacementDecision> decisions = new ArrayList<>(requests.size());
        for (PlacementRequest request : requests) {
            PlacementDecision decision = place(request, view.values());
            if (decision instanceof PlacementDecision.Placed placed) {
                view.computeIfPresent(placed.nodeName(), (name, node) -> node.withPlaced(request, placed.charged()));
            }
            decisions.add(decision);
        }
        return new Plan(decisions, view);
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

    private long score(PlacementRequest request, NodeView node) {
        long total = 0;
        for (NodeScorer scorer : scorers) {
            total += scorer.score(request, node);
        }
        return total;
    }

    /** Whether {@code candidate} beats {@code incumbent} at equal score. */
    private boolean winsTie(PlacementRequest request, NodeView candidate, NodeView incumbent) {
        return switch (policy.tieBreak()) {
            case NAME -> candidate.name().compareTo(incumbent.name()) < 0;
            case SEEDED -> {
                long c = seededRank(request.instanceId(), candidate.name());
                long i = seededRank(request.instanceId(), incumbent.name());
                yield c != i ? c < i : candidate.name().compareTo(incumbent.name()) < 0;
            }
        };
    }

    /** A stable pseudo-random rank of a node for one instance (SplitMix64's finalizer; String.hashCode is specified). */
    static long seededRank(UUID instanceId, String nodeName) {
        long z = instanceId.getMostSignificantBits() ^ Long.rotateLeft(instanceId.getLeastSignificantBits(), 17)
                ^ (nodeName.hashCode() * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
