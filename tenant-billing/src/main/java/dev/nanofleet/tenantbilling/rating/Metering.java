package dev.nanofleet.tenantbilling.rating;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns meter facts into the spans during which instances ran billably. Pure and stateless.
 * <p>
 * <b>When billing runs.</b> An instance is billed while its node is creating its container or booting its VM
 * ({@link InstanceState#STARTING}, after the image pull), runs it ({@link InstanceState#RUNNING}) or stops it
 * ({@link InstanceState#STOPPING}), and only when its isolation and resources are known (old v1 state events carry
 * neither, so they never start billing). Billing ends when the instance stops, exits, fails, restarts after a crash
 * (the {@link InstanceState#RESTARTING} back-off is not billed), is moved to another node (placed elsewhere or found
 * unschedulable) or its node is lost: a {@link MeterEvent.Kind#NODE_LOST} fact carries the node's last heartbeat, so
 * nothing on it is billed from that moment until the node is {@link MeterEvent.Kind#NODE_READY ready} again.
 * <p>
 * <b>Replay.</b> Facts are deduplicated by id (the copy published first is kept). Each instance's facts are replayed in
 * the order (occurredAt, kind, id) through a small state machine of node, state, node-lost flag, isolation and
 * resources; a node fact applies to every instance whose current node is that node at that moment. The state is
 * judged after all facts of one instant, so the result depends only on the set of facts, never on the order they are
 * given in.
 */
public final class Metering {

    /** At one instant: where the instance is first, then what its node says, then what its node's liveness is. */
    private static final Comparator<MeterEvent> ORDER = (a, b) -> {
        int byTime = a.occurredAt().compareTo(b.occurredAt());
        if (byTime != 0) {
            return byTime;
        }
        int byKind = Integer.compare(rank(a), rank(b));
        return byKind != 0 ? byKind : a.id().compareTo(b.id());
    };

    private Metering() {
    }

    /**
     * The maximal billable spans of every instance the facts mention: one per span on one node with one isolation and
     * one set of resources (a change of any of them starts a new one).
     *
     * @param events one tenant's (or several tenants') instance facts together with the node facts of their nodes;
     *            duplicates and any order are fine
     * @return sorted by tenant, instance and start; an interval still billable after the last fact has a null end
     */
    public static List<BilledInterval> intervals(Collection<MeterEvent> events) {
        Map<UUID, List<MeterEvent>> byInstance = new HashMap<>();
        Map<String, List<MeterEvent>> byNode = new HashMap<>();
        for (MeterEvent event : deduplicate(events)) {
            if (event.isNodeFact()) {
                if (event.node() != null) {
                    byNode.computeIfAbsent(event.node(), n -> new ArrayList<>()).add(event);
                }
            } else if (event.instanceId() != null) {
                byInstance.computeIfAbsent(event.instanceId(), i -> new ArrayList<>()).add(event);
            }
        }
        Map<String, MeterEvent[]> nodeFacts = new HashMap<>();
        List<Replay> replays = new ArrayList<>(byInstance.size());
        for (List<MeterEvent> facts : byInstance.values()) {
            MeterEvent[] sorted = facts.toArray(MeterEvent[]::new);
            Arrays.sort(sorted, ORDER);
            String tenant = null;
            UUID deployment = null;
            for (MeterEvent fact : sorted) {
                tenant = tenant == null ? fact.tenant() : tenant;
                deployment = deployment == null ? fact.deploymentId() : deployment;
                // only the nodes some instance visits are sorted
                if (fact.node() != null && !nodeFacts.containsKey(fact.node())) {
                    List<MeterEvent> ofNode = byNode.get(fact.node());
                    MeterEvent[] nodeSorted = ofNode == null ? new MeterEvent[0] : ofNode.toArray(MeterEvent[]::new);
                    Arrays.sort(nodeSorted, ORDER);
                    nodeFacts.put(fact.node(), nodeSorted);
                }
            }
            if (tenant != null) { // an instance fact without a tenant cannot be billed to anyone
                replays.add(new Replay(tenant, deployment, sorted[0].instanceId(), sorted));
            }
        }
        replays.sort(Comparator.comparing(Replay::tenant).thenComparing(Replay::instanceId));
        List<BilledInterval> out = new ArrayList<>();
        for (Replay replay : replays) {
            replay.run(nodeFacts, out);
        }
        return out;
    }

    /** The facts with distinct ids; of two copies of one fact the one published first is kept. */
    static Collection<MeterEvent> deduplicate(Collection<MeterEvent> events) {
        Map<UUID, MeterEvent> unique = new HashMap<>(Math.max(16, events.size() * 4 / 3 + 1));
        for (MeterEvent event : events) {
            unique.merge(event.id(), event, (a, b) -> b.publishedAt().isBefore(a.publishedAt()) ? b : a);
        }
        return unique.values();
    }

    private static int rank(MeterEvent event) {
        return switch (event.kind()) {
            case PLACED -> 0;
            case UNSCHEDULABLE -> 1;
            case STATE -> 2;
            case NODE_LOST -> 3;
            case NODE_READY -> 4;
        };
    }

    static boolean isBilledState(InstanceState state) {
        return state == InstanceState.STARTING || state == InstanceState.RUNNING || state == InstanceState.STOPPING;
    }

    /** One instance's replay; lives only for the duration of {@link #intervals}. */
    private static final class Replay {
        private final String tenant;
        private final UUID deployment;
        private final UUID instanceId;
        private final MeterEvent[] facts;

        private String node;
        private InstanceState state;
        private boolean nodeLost;
        private Isolation isolation;
        private Resources resources;

        /** The facts of the current node and the first of them not yet applied. */
        private MeterEvent[] nodeFacts;
        private int cursor;

        /** The instant whose facts were applied but not yet judged. */
        private Instant pending;

        private Instant openStart;
        private String openNode;
        private Isolation openIsolation;
        private Resources openResources;

        Replay(String tenant, UUID deployment, UUID instanceId, MeterEvent[] facts) {
            this.tenant = tenant;
            this.deployment = deployment;
            this.instanceId = instanceId;
            this.facts = facts;
        }

        String tenant() {
            return tenant;
        }

        UUID instanceId() {
            return instanceId;
        }

        void run(Map<String, MeterEvent[]> allNodeFacts, List<BilledInterval> out) {
            for (MeterEvent fact : facts) {
                applyNodeFactsBefore(fact, out);
                at(fact.occurredAt(), out);
                switch (fact.kind()) {
                    case STATE -> {
                        if (!Objects.equals(fact.node(), node)) {
                            moveTo(fact.node(), fact, allNodeFacts);
                        }
                        state = fact.state();
                        isolation = fact.isolation() != null ? fact.isolation() : isolation;
                        resources = fact.resources() != null ? fact.resources() : resources;
                    }
                    case PLACED -> {
                        if (!Objects.equals(fact.node(), node)) {
                            moveTo(fact.node(), fact, allNodeFacts);
                            state = InstanceState.SCHEDULED;
                            isolation = fact.isolation() != null ? fact.isolation() : isolation;
                        }
                    }
                    case UNSCHEDULABLE -> {
                        moveTo(null, fact, allNodeFacts);
                        state = InstanceState.UNSCHEDULABLE;
                    }
                    default -> throw new IllegalStateException("a node fact among an instance's: " + fact.id());
                }
            }
            applyNodeFactsBefore(null, out);
            if (pending != null) {
                judge(pending, out);
            }
            if (openStart != null) {
                out.add(new BilledInterval(tenant, deployment, instanceId, openNode, openIsolation, openResources,
                        openStart, null));
            }
        }

        private void applyNodeFactsBefore(MeterEvent fact, List<BilledInterval> out) {
            if (nodeFacts == null) {
                return;
            }
            while (cursor < nodeFacts.length && (fact == null || ORDER.compare(nodeFacts[cursor], fact) < 0)) {
                MeterEvent nodeFact = nodeFacts[cursor++];
                at(nodeFact.occurredAt(), out);
                nodeLost = nodeFact.kind() == MeterEvent.Kind.NODE_LOST;
            }
        }

        private void moveTo(String target, MeterEvent fact, Map<String, MeterEvent[]> allNodeFacts) {
            node = target;
            nodeLost = false;
            nodeFacts = target == null ? null : allNodeFacts.get(target);
            if (nodeFacts != null) {
                // the node's facts after the move; none compares equal to an instance fact (the kinds differ)
                int found = Arrays.binarySearch(nodeFacts, fact, ORDER);
                cursor = found >= 0 ? found + 1 : -found - 1;
            }
        }

        /** Called before applying a fact at {@code t}: judges the previous instant once all its facts are applied. */
        private void at(Instant t, List<BilledInterval> out) {
            if (pending != null && t.isAfter(pending)) {
                judge(pending, out);
            }
            pending = t;
        }

        private void judge(Instant t, List<BilledInterval> out) {
            boolean billable = node != null && !nodeLost && isBilledState(state) && isolation != null
                    && resources != null;
            if (openStart != null && (!billable || !node.equals(openNode) || isolation != openIsolation
                    || !resources.equals(openResources))) {
                out.add(new BilledInterval(tenant, deployment, instanceId, openNode, openIsolation, openResources,
                        openStart, t));
                openStart = null;
            }
            if (billable && openStart == null) {
                openStart = t;
                openNode = node;
                openIsolation = isolation;
                openResources = resources;
            }
        }
    }
}
