package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
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
            return scheduler.decide(request, fleet, true);
        }

        /** Decides without changing the view. */
        public PlacementDecision decide(PlacementRequest request) {
            return scheduler.decide(request, fleet, false);
        }

        /** The nodes as they are now, by name. */
        public java.util.Map<String, NodeView> nodes() {
            return fleet.byName();
        }
    }

    private PlacementDecision decide(PlacementRequest request, FleetIndex fleet, boolean apply) {
        int chosen = choose(request, fleet);
        if (chosen < 0) {
            return new PlacementDecision.Unschedulable(request, explain(request, fleet));
        }
        Resources charged = policy.charged(request);
        if (apply) {
            fleet.apply(chosen, request, charged);
        }
        return new PlacementDecision.Placed(request, fleet.name(chosen), charged);
    }

    /** The scan position of the best feasible node, or -1 when none is feasible. */
    private int choose(PlacementRequest request, FleetIndex fleet) {
        int n = fleet.size();
        int wanted = policy.feasibleNodesToScore();
        boolean sampling = wanted > 0 && wanted < n;
        Footprint footprint = fleet.prepare(request);
        Candidates candidates = new Candidates(request, fleet, footprint);
        // A sample rarely holds the tenant's own kernels, so a shared-kernel replica would open a new kernel each time
        // and fragment the fleet: the nodes its tenant already owns are always candidates, before the sample.
        int ownTenant = sampling && request.isolation() == Isolation.SHARED ? fleet.preparedTenant() : -1;
        if (ownTenant >= 0) {
            int[] kernels = fleet.kernels(ownTenant);
            for (int k = 0, owned = fleet.kernelCount(ownTenant); k < owned; k++) {
                candidates.consider(kernels[k]);
            }
        }
        int start = sampling ? (int) Math.floorMod(seededRank(request.instanceId(), ""), (long) n) : 0;
        for (int i = 0; i < n && !(sampling && candidates.feasible >= wanted); i++) {
            int at = start + i;
            if (at >= n) {
                at -= n;
            }
            if (ownTenant >= 0 && fleet.ownerId(at) == ownTenant) {
                continue;
            }
            candidates.consider(at);
        }
        return candidates.best;
    }

    /** The feasible nodes seen so far for one request and the best of them. */
    private final class Candidates {

        private final PlacementRequest request;
        private final FleetIndex fleet;
        private final FleetIndex.Cursor node;
        private final Footprint footprint;
        int feasible;
        int best = -1;
        long bestScore;

        Candidates(PlacementRequest request, FleetIndex fleet, Footprint footprint) {
            this.request = request;
            this.fleet = fleet;
            this.node = fleet.cursor();
            this.footprint = footprint;
        }

        /** Filters and scores the node at {@code at}, keeping it when it wins. */
        void consider(int at) {
            node.moveTo(at);
            if (!fits(request, node)) {
                return;
            }
            feasible++;
            long score = score(request, node, footprint);
            if (best < 0 || score > bestScore || (score == bestScore && winsTie(request, fleet, at, best))) {
                best = at;
                bestScore = score;
            }
        }
    }

    /** Only on the unhappy path: every node's first rejection, counted. */
    private Explanation explain(PlacementRequest request, FleetIndex fleet) {
        TreeMap<String, Integer> rejections = new TreeMap<>();
        FleetIndex.Cursor node = fleet.cursor();
        for (int i = 0; i < fleet.size(); i++) {
            firstRejection(request, node.moveTo(i)).ifPresent(reason -> rejections.merge(reason, 1, Integer::sum));
        }
        return new Explanation(fleet.size(), rejections);
    }

    private boolean fits(PlacementRequest request, NodeFacts node) {
        for (NodeFilter filter : filters) {
            if (reject(filter, request, node).isPresent()) {
                return false;
            }
        }
        return true;
    }

    private Optional<String> firstRejection(PlacementRequest request, NodeFacts node) {
        for (NodeFilter filter : filters) {
            Optional<String> rejected = reject(filter, request, node);
            if (rejected.isPresent()) {
                return rejected;
            }
        }
        return Optional.empty();
    }

    /**
     * One filter's verdict, the built-in filters called through their own (final) classes. A plain
     * {@code filter.reject} in the loop is one call site seeing five classes, which the JIT does not inline: every
     * node then cost five virtual calls and a node view that could not be read in place. A filter of another class
     * takes the plain call.
     */
    private static Optional<String> reject(NodeFilter filter, PlacementRequest request, NodeFacts node) {
        if (filter instanceof Schedulable schedulable) {
            return schedulable.reject(request, node);
        }
        if (filter instanceof OffersIsolation offersIsolation) {
            return offersIsolation.reject(request, node);
        }
        if (filter instanceof MatchesLabels matchesLabels) {
            return matchesLabels.reject(request, node);
        }
        if (filter instanceof KernelOwnership kernelOwnership) {
            return kernelOwnership.reject(request, node);
        }
        if (filter instanceof FitsResources fitsResources) {
            return fitsResources.reject(request, node);
        }
        return filter.reject(request, node);
    }

    private long score(PlacementRequest request, NodeFacts node, Footprint footprint) {
        long total = 0;
        for (NodeScorer scorer : scorers) {
            total += scorer.score(request, node, footprint);
        }
        return total;
    }

    /** Whether the node at {@code candidate} beats the one at {@code incumbent} at equal score. */
    private boolean winsTie(PlacementRequest request, FleetIndex fleet, int candidate, int incumbent) {
        String c = fleet.name(candidate);
        String i = fleet.name(incumbent);
        return switch (policy.tieBreak()) {
            case NAME -> c.compareTo(i) < 0;
            case SEEDED -> {
                long cr = seededRank(request.instanceId(), c);
                long ir = seededRank(request.instanceId(), i);
                yield cr != ir ? cr < ir : c.compareTo(i) < 0;
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
