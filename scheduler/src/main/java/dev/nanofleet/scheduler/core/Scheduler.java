package dev.nanofleet.scheduler.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Filter, score, select. For each request the nodes run the filters in order (the first rejection is the node's
 * reason); the survivors are scored by the sum of the scorers and the best wins, ties settled by the
 * {@link TieBreak}. With {@link SchedulerPolicy#feasibleNodesToScore()} set, the scan stops after that many feasible
 * nodes (a shared-kernel request always also sees the nodes its tenant's kernel owns); when no node is feasible every node was looked at, so an explanation always counts the whole fleet. The
 * result depends only on the requests, the nodes and the policy: not on input order, time or randomness. Immutable
 * and thread-safe.
 */
public final class Scheduler {

    private final SchedulerPolicy policy;
    private final NodeFilter[] filters;
    private final NodeScorer[] scorers;

    /** The standard pipeline. */
    public Scheduler(SchedulerPolicy policy) {
        this(policy,
                List.of(new Schedulable(), new OffersIsolation(), new MatchesLabels(), new KernelOwnership(),
                        new FitsResources(policy)),
                List.of(new DeploymentSpread(policy), new BinPacking(policy)));
    }

    public Scheduler(SchedulerPolicy policy, List<NodeFilter> filters, List<NodeScorer> scorers) {
        this.policy = policy;
        this.filters = filters.toArray(NodeFilter[]::new);
        this.scorers = scorers.toArray(NodeScorer[]::new);
    }

    public SchedulerPolicy policy() {
        return policy;
    }

    /** Places one request over {@code nodes} (nothing is applied). */
    public PlacementDecision place(PlacementRequest request, Collection<NodeView> nodes) {
        return session(nodes).decide(request);
    }

    /**
     * Places requests one after another, each seeing the nodes as the earlier ones left them, so replicas of one pass
     * never overbook a node and spread over each other.
     */
    public Plan placeAll(List<PlacementRequest> requests, Collection<NodeView> nodes) {
        Session session = session(nodes);
        List<PlacementDecision> decisions = new ArrayList<>(requests.size());
        for (PlacementRequest request : requests) {
            decisions.add(session.place(request));
        }
        return new Plan(decisions, session.nodes());
    }

    /** A view of {@code nodes} that placements update in place; for many requests over one fleet. */
    public Session session(Collection<NodeView> nodes) {
        return new Session(this, new FleetIndex(nodes));
    }

    /**
     * One fleet view with the placements made through it applied. Not thread-safe: one caller at a time.
     */
    public static final class Session {

        private final Scheduler scheduler;
        private final FleetIndex fleet;

        private Session(Scheduler scheduler, FleetIndex fleet) {
            this.scheduler = scheduler;
            this.fleet = fleet;
        }

        /** Decides and, when placed, charges the node in this session's view. */
        public PlacementDecision place(PlacementRequest request) {
            PlacementDecision decision = decide(request);
            if (decision instanceof PlacementDecision.Placed placed) {
                fleet.apply(placed);
            }
            return decision;
        }

        /** Decides without changing the view. */
        public PlacementDecision decide(PlacementRequest request) {
            return scheduler.decide(request, fleet);
        }

        /** The nodes as they are now, by name. */
        public java.util.Map<String, NodeView> nodes() {
            return fleet.byName();
        }
    }

    private PlacementDecision decide(PlacementRequest request, FleetIndex fleet) {
        int n = fleet.size();
        int wanted = policy.feasibleNodesToScore();
        boolean sampling = wanted > 0 && wanted < n;
        Footprint footprint = fleet.footprint(request.deploymentId());
        Candidate best = new Candidate();
        int feasible = 0;
        // A sample rarely holds the tenant's own kernels, so a shared-kernel replica would open a new kernel each time
        // and fragment the fleet: the nodes its tenant already owns are always candidates, before the sample.
        boolean ownKernelsFirst = sampling && request.isolation() == dev.nanofleet.events.Isolation.SHARED;
        if (ownKernelsFirst) {
            for (int at : fleet.kernelsOf(request.tenant())) {
                if (consider(request, fleet.at(at), footprint, best)) {
                    feasible++;
                }
            }
        }
        int start = sampling ? (int) Math.floorMod(seededRank(request.instanceId(), ""), (long) n) : 0;
        for (int i = 0; i < n && !(sampling && feasible >= wanted); i++) {
            int at = start + i;
            NodeView node = fleet.at(at >= n ? at - n : at);
            if (ownKernelsFirst && request.tenant().equals(node.kernelOwner())) {
                continue;
            }
            if (consider(request, node, footprint, best)) {
                feasible++;
            }
        }
        if (best.node == null) {
            return new PlacementDecision.Unschedulable(request, explain(request, fleet));
        }
        return new PlacementDecision.Placed(request, best.node.name(), policy.charged(request));
    }

    private static final class Candidate {
        NodeView node;
        long score;
    }

    /** Filters and scores one node, keeping it in {@code best} when it wins; whether it was feasible. */
    private boolean consider(PlacementRequest request, NodeView node, Footprint footprint, Candidate best) {
        if (!fits(request, node)) {
            return false;
        }
        long score = score(request, node, footprint);
        if (best.node == null || score > best.score || (score == best.score && winsTie(request, node, best.node))) {
            best.node = node;
            best.score = score;
        }
        return true;
    }

    /** Only on the unhappy path: every node's first rejection, counted. */
    private Explanation explain(PlacementRequest request, FleetIndex fleet) {
        TreeMap<String, Integer> rejections = new TreeMap<>();
        for (int i = 0; i < fleet.size(); i++) {
            firstRejection(request, fleet.at(i)).ifPresent(reason -> rejections.merge(reason, 1, Integer::sum));
        }
        return new Explanation(fleet.size(), rejections);
    }

    private boolean fits(PlacementRequest request, NodeView node) {
        for (NodeFilter filter : filters) {
            if (filter.reject(request, node).isPresent()) {
                return false;
            }
        }
        return true;
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

    private long score(PlacementRequest request, NodeView node, Footprint footprint) {
        long total = 0;
        for (NodeScorer scorer : scorers) {
            total += scorer.score(request, node, footprint);
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
