package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeRemoved;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.scheduler.core.NodeStatus;
import dev.nanofleet.scheduler.core.PlacementDecision;
import dev.nanofleet.scheduler.core.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One batch of events applied to the {@link FleetState}, in order, with the rules of each event type (see the
 * README's table). Replicas to place are queued and planned together in one {@link Scheduler.Session} when an event
 * needs their outcome first (a node event, an instance report concerning a queued replica, a retry of pending
 * replicas) or when the batch ends, so a poll of deployment events is one pass of the core over the fleet. A queued
 * replica that a later deletion or scale-down of the batch removes is withdrawn, never placed. Collects the outgoing events and the decisions; writes nothing itself (the handler commits
 * {@link FleetState#changes()}).
 */
final class BatchRun {

    static final String SOURCE = "/nanofleet/scheduler";
    private static final Logger LOG = Logger.getLogger(BatchRun.class);

    /** What is being scheduled: new replicas (told when refused), pending ones (not told again), or moved ones. */
    enum Mode {
        NEW, PENDING, MOVED
    }

    /**
     * A decision that went out, for metrics.
     *
     * @param requestedAt the deployment event's time for a new replica (time to place); null for pending or moved
     *        ones, whose wait says nothing about the scheduler's speed
     */
    record Outcome(PlacementDecision decision, Instant requestedAt) {
    }

    /** One deployment or scale event's replicas, counted as they are decided, for its log line. */
    private static final class Tally {
        final String what;
        int placed;
        int refused;
        int withdrawn;

        Tally(String what) {
            this.what = what;
        }
    }

    private record Queued(Replica replica, Mode mode, Instant requestedAt, Tally tally) {
    }

    private final FleetState state;
    private final Scheduler scheduler;
    private final Instant now;
    private final List<Queued> queue = new ArrayList<>();
    private final Set<UUID> queued = new HashSet<>();
    private final List<Tally> tallies = new ArrayList<>();
    private final List<Event<?>> outbox = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private boolean refusalAnnounced;

    BatchRun(FleetState state, Scheduler scheduler, Instant now) {
        this.state = state;
        this.scheduler = scheduler;
        this.now = now;
    }

    /** Whether the scheduler acts on events of this kind; the rest (its own instance.placed among them) are skipped. */
    static boolean concerns(Event<?> event) {
        return switch (event.data()) {
            case DeploymentCreated e -> true;
            case DeploymentScaled e -> true;
            case DeploymentDeleted e -> true;
            case NodeRegistered e -> true;
            case NodeStatusChanged e -> true;
            case NodeRemoved e -> true;
            case NodeSchedulingChanged e -> true;
            case InstanceStateChanged e -> true;
            default -> false;
        };
    }

    /** The rows the events name, for {@link FleetStore#catchUp}. */
    static FleetStore.Named named(List<Event<?>> events) {
        Set<UUID> instances = new LinkedHashSet<>();
        Set<UUID> deployments = new LinkedHashSet<>();
        Set<String> nodes = new LinkedHashSet<>();
        boolean pending = false;
        for (Event<?> event : events) {
            switch (event.data()) {
                case DeploymentCreated created -> created.replicas().forEach(r -> instances.add(r.instanceId()));
                case DeploymentScaled scaled -> {
                    orEmpty(scaled.added()).forEach(r -> instances.add(r.instanceId()));
                    instances.addAll(orEmpty(scaled.removed()));
                    pending |= !orEmpty(scaled.removed()).isEmpty();
                }
                case DeploymentDeleted deleted -> {
                    deployments.add(deleted.deploymentId());
                    pending = true;
                }
                case NodeRegistered registered -> {
                    nodes.add(registered.nodeName());
                    pending = true;
                }
                case NodeStatusChanged status -> {
                    nodes.add(status.nodeName());
                    pending = true;
                }
                case NodeRemoved removed -> {
                    nodes.add(removed.nodeName());
                    pending = true;
                }
                case NodeSchedulingChanged scheduling -> {
                    nodes.add(scheduling.nodeName());
                    pending = true;
                }
                case InstanceStateChanged changed -> {
                    instances.add(changed.instanceId());
                    pending = true;
                }
                default -> {
                }
            }
        }
        return new FleetStore.Named(instances, deployments, nodes, pending);
    }

    @SuppressWarnings("unchecked")
    void apply(Event<?> event, Instant publishedAt) {
        switch (event.data()) {
            case DeploymentCreated created -> deploymentCreated((Event<DeploymentCreated>) event, publishedAt);
            case DeploymentScaled scaled -> deploymentScaled((Event<DeploymentScaled>) event, publishedAt);
            case DeploymentDeleted deleted -> deploymentDeleted(deleted);
            case NodeRegistered registered -> nodeRegistered((Event<NodeRegistered>) event);
            case NodeStatusChanged status -> nodeStatusChanged(status);
            case NodeRemoved removed -> nodeRemoved(removed);
            case NodeSchedulingChanged scheduling -> nodeSchedulingChanged(scheduling);
            case InstanceStateChanged changed -> instanceStateChanged((Event<InstanceStateChanged>) event);
            default -> {
            }
        }
    }

    /** Plans what is still queued and logs each deployment event's outcome. */
    void finish() {
        flush();
        for (Tally tally : tallies) {
            LOG.infof("%s placed=%d unschedulable=%d withdrawn=%d", tally.what, tally.placed, tally.refused,
                    tally.withdrawn);
        }
    }

    List<Event<?>> outbox() {
        return outbox;
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    /**
     * Whether a replica was announced unschedulable: the refusal was decided on this view alone, so before it goes out
     * the handler checks that no node changed meanwhile (another scheduler may have freed one).
     */
    boolean refusalAnnounced() {
        return refusalAnnounced;
    }

    // ---- the rules

    private void deploymentCreated(Event<DeploymentCreated> event, Instant publishedAt) {
        DeploymentCreated deployment = event.data();
        List<Replica> fresh = newReplicas(deployment.deploymentId(), deployment.tenant(), deployment.tenantTrust(),
                deployment.isolation(), deployment.resources(), deployment.replicas(), publishedAt);
        Tally tally = tally("deployment=%s tenant=%s replicas=%d".formatted(deployment.deploymentId(),
                deployment.tenant(), fresh.size()));
        fresh.forEach(r -> enqueue(r, Mode.NEW, event.time(), tally));
    }

    /**
     * Frees the removed replicas (as a deletion does), places the added ones (as a creation does), then retries pending
     * replicas when something was freed.
     */
    private void deploymentScaled(Event<DeploymentScaled> event, Instant publishedAt) {
        DeploymentScaled scaled = event.data();
        List<Replica> removed = new ArrayList<>();
        for (UUID instanceId : orEmpty(scaled.removed())) {
            Replica replica = state.replica(instanceId);
            if (replica == null) {
                continue; // already freed (or never known): nothing to give back
            }
            if (!replica.deploymentId.equals(scaled.deploymentId())) {
                LOG.warnf("deployment=%s scale names instance=%s of deployment=%s, not removed",
                        scaled.deploymentId(), instanceId, replica.deploymentId);
                continue;
            }
            removed.add(replica);
        }
        unqueue(removed);
        Set<String> touched = free(removed);
        List<Replica> fresh = newReplicas(scaled.deploymentId(), scaled.tenant(), scaled.tenantTrust(),
                scaled.isolation(), scaled.resources(), orEmpty(scaled.added()), publishedAt);
        Tally tally = tally("deployment=%s scaled to replicas=%d removed=%d on nodes=%s added=%d".formatted(
                scaled.deploymentId(), scaled.replicas(), removed.size(), touched, fresh.size()));
        fresh.forEach(r -> enqueue(r, Mode.NEW, event.time(), tally));
        if (!removed.isEmpty()) {
            retryPending();
        }
    }

    /** Frees the capacity of every replica of the deployment, releases emptied kernels, and retries pending ones. */
    private void deploymentDeleted(DeploymentDeleted deleted) {
        List<Replica> replicas = state.ofDeployment(deleted.deploymentId());
        unqueue(replicas);
        Set<String> touched = free(replicas);
        LOG.infof("deployment=%s deleted, freed replicas=%d on nodes=%s", deleted.deploymentId(), replicas.size(),
                touched);
        retryPending();
    }

    /** Upserts the node (its used capacity stays: that is derived from placements) and retries pending replicas. */
    private void nodeRegistered(Event<NodeRegistered> event) {
        flush();
        NodeRegistered registered = event.data();
        NodeState node = state.node(registered.nodeName());
        Set<Isolation> isolations = registered.isolations() == null ? Set.of() : Set.copyOf(registered.isolations());
        Map<String, String> labels = registered.labels() == null ? Map.of() : Map.copyOf(registered.labels());
        if (node == null) {
            node = new NodeState(registered.nodeName());
            node.registeredAt = event.time();
            node.lastHeartbeat = event.time();
            // a new node is READY; an operator's cordon or drain outlives the agent re-registering, and a lost node
            // waits for control-api's node.status-changed READY (liveness has one owner)
            node.status = NodeStatus.READY;
            node.allocatableCpuMillis = registered.allocatable().cpuMillis();
            node.allocatableMemoryMiB = registered.allocatable().memoryMiB();
            node.isolations = isolations;
            node.labels = labels;
            state.register(node);
        } else {
            state.change(node, n -> {
                n.allocatableCpuMillis = registered.allocatable().cpuMillis();
                n.allocatableMemoryMiB = registered.allocatable().memoryMiB();
                n.isolations = isolations;
                n.labels = labels;
                if (event.time().isAfter(n.lastHeartbeat)) {
                    n.lastHeartbeat = event.time();
                }
            });
        }
        LOG.infof("node=%s registered allocatable=%s isolations=%s", node.name, node.allocatable(), node.isolations);
        retryPending();
    }

    /**
     * control-api's decision about a node's liveness. LOST: its capacity and kernel are freed and the replicas running
     * there are placed elsewhere (as for a drain). READY (back from LOST, empty): status READY and pending replicas are
     * retried at once. A READY for a node that is not LOST changes nothing (an operator's cordon or drain stays).
     */
    private void nodeStatusChanged(NodeStatusChanged change) {
        flush();
        NodeState node = state.node(change.nodeName());
        if (node == null) {
            LOG.infof("node=%s status=%s for an unknown node ignored", change.nodeName(), change.status());
            return;
        }
        if (change.lastHeartbeat() != null && change.lastHeartbeat().isAfter(node.lastHeartbeat)) {
            state.change(node, n -> n.lastHeartbeat = change.lastHeartbeat());
        }
        switch (change.status()) {
            case LOST -> {
                if (node.status != NodeStatus.LOST) {
                    NodeStatus was = node.status;
                    int moving = empty(node, NodeStatus.LOST, "node lost: ");
                    LOG.warnf("node=%s lost (was %s): %s; instances=%d placed elsewhere or pending", node.name, was,
                            change.reason(), moving);
                }
            }
            case READY -> {
                if (node.status == NodeStatus.LOST) {
                    state.change(node, n -> n.status = NodeStatus.READY);
                    LOG.infof("node=%s ready again (empty): %s", node.name, change.reason());
                    retryPending();
                }
            }
        }
    }

    /**
     * An operator removed the node. control-api marked it LOST first, so its replicas were placed elsewhere already;
     * should that event not have come (the node was lost before), its replicas move now. Then the node is forgotten:
     * it no longer counts among the nodes an unschedulable replica's reason names, and its name may register again.
     */
    private void nodeRemoved(NodeRemoved removed) {
        flush();
        NodeState node = state.node(removed.nodeName());
        if (node == null) {
            LOG.infof("node=%s removed, unknown here", removed.nodeName());
            return;
        }
        int moving = node.status == NodeStatus.LOST ? 0 : empty(node, NodeStatus.LOST, "node removed: ");
        // before its replicas are planned, so their reasons no longer count it
        state.forget(node);
        LOG.infof("node=%s removed (%s): forgotten, instances=%d placed elsewhere or pending", node.name,
                removed.reason(), moving);
    }

    /**
     * An operator's decision about a node. CORDONED keeps its placements and takes nothing new; SCHEDULABLE makes it
     * READY and retries pending replicas; DRAINING takes nothing new and places its instances elsewhere (as for a lost
     * node). A LOST node stays LOST: it runs nothing the scheduler knows of.
     */
    private void nodeSchedulingChanged(NodeSchedulingChanged change) {
        flush();
        NodeState node = state.node(change.nodeName());
        if (node == null) {
            LOG.infof("node=%s scheduling=%s for an unknown node ignored", change.nodeName(), change.scheduling());
            return;
        }
        if (node.status == NodeStatus.LOST) {
            LOG.infof("node=%s scheduling=%s ignored: the node is lost (its instances were moved already)", node.name,
                    change.scheduling());
            return;
        }
        NodeStatus was = node.status;
        switch (change.scheduling()) {
            case CORDONED -> {
                state.change(node, n -> n.status = NodeStatus.CORDONED);
                LOG.infof("node=%s cordoned (was %s)", node.name, was);
            }
            case SCHEDULABLE -> {
                state.change(node, n -> n.status = NodeStatus.READY);
                LOG.infof("node=%s schedulable (was %s)", node.name, was);
                retryPending();
            }
            case DRAINING -> {
                int moving = empty(node, NodeStatus.DRAINING, "node draining: ");
                LOG.infof("node=%s draining (was %s), instances=%d placed elsewhere or pending", node.name, was,
                        moving);
            }
        }
    }

    /**
     * A node reported an instance's state. When its process ended (EXITED, FAILED, STOPPED) the replica gives its
     * capacity back and pending replicas are retried; when an ended replica runs again (restarted) it is charged again,
     * even past the node's allocatable: it runs there already, and refusing to count it would only hide the overcommit.
     * Reports from a node the replica no longer runs on (it moved) change nothing.
     */
    private void instanceStateChanged(Event<InstanceStateChanged> event) {
        InstanceStateChanged change = event.data();
        if (queued.contains(change.instanceId())) {
            flush();
        }
        Replica replica = state.replica(change.instanceId());
        if (replica == null || !replica.placed() || !replica.nodeName.equals(change.nodeName())) {
            LOG.debugf("instance=%s state=%s from node=%s: not placed there, ignored", change.instanceId(),
                    change.state(), change.nodeName());
            return;
        }
        NodeState node = state.node(replica.nodeName);
        boolean ended = change.state().isTerminal();
        if (ended && replica.endedAt == null) {
            state.change(replica, r -> r.endedAt = event.time());
            state.change(node, n -> {
                n.usedCpuMillis = Math.max(0, n.usedCpuMillis - replica.chargedCpuMillis);
                n.usedMemoryMiB = Math.max(0, n.usedMemoryMiB - replica.chargedMemoryMiB);
            });
            releaseKernelIfUnused(node);
            LOG.infof("instance=%s %s on node=%s, freed %s", replica.instanceId, change.state(), node.name,
                    replica.charged());
            retryPending();
        } else if (!ended && replica.endedAt != null) {
            state.change(replica, r -> r.endedAt = null);
            state.change(node, n -> {
                n.usedCpuMillis += replica.chargedCpuMillis;
                n.usedMemoryMiB += replica.chargedMemoryMiB;
                if (replica.isolation == Isolation.SHARED && n.kernelOwner == null) {
                    n.kernelOwner = replica.tenant;
                }
            });
            LOG.infof("instance=%s %s again on node=%s, charged %s (used now %s of %s)", replica.instanceId,
                    change.state(), node.name, replica.charged(), node.used(), node.allocatable());
        }
    }

    // ---- shared steps

    /** New replicas for the ones not known already (a second event for the same replicas places nothing twice). */
    private List<Replica> newReplicas(UUID deploymentId, String tenant, TenantTrust trust, Isolation isolation,
            Resources resources, List<DeploymentCreated.Replica> replicas, Instant relayedAt) {
        List<Replica> fresh = new ArrayList<>();
        for (DeploymentCreated.Replica wanted : replicas.stream()
                .sorted(Comparator.comparingInt(DeploymentCreated.Replica::ordinal))
                .toList()) {
            if (state.replica(wanted.instanceId()) != null) {
                continue;
            }
            Replica replica = new Replica(wanted.instanceId(), deploymentId, wanted.ordinal(), tenant, trust,
                    isolation, resources.cpuMillis(), resources.memoryMiB(), now);
            replica.relayedAt = relayedAt;
            state.add(replica);
            fresh.add(replica);
        }
        return fresh;
    }

    /**
     * Gives back the capacity the replicas were charged, drops them, and releases a node's kernel when no shared-kernel
     * instance is left there. Returns the nodes that had some of them.
     */
    private Set<String> free(List<Replica> replicas) {
        Set<String> touched = new LinkedHashSet<>();
        for (Replica replica : replicas) {
            if (replica.charging()) {
                state.change(state.node(replica.nodeName), n -> {
                    n.usedCpuMillis = Math.max(0, n.usedCpuMillis - replica.chargedCpuMillis);
                    n.usedMemoryMiB = Math.max(0, n.usedMemoryMiB - replica.chargedMemoryMiB);
                });
                touched.add(replica.nodeName);
            }
            state.remove(replica);
        }
        touched.forEach(name -> releaseKernelIfUnused(state.node(name)));
        return touched;
    }

    private void releaseKernelIfUnused(NodeState node) {
        if (node.kernelOwner != null && !state.runsSharedKernelReplicas(node.name)) {
            state.change(node, n -> n.kernelOwner = null);
        }
    }

    /**
     * Sets the node's status, frees it (capacity, kernel) and queues the replicas it runs for another node, with the
     * reason. Ended replicas stay where they ended: they hold nothing.
     */
    private int empty(NodeState node, NodeStatus status, String reasonPrefix) {
        state.change(node, n -> {
            n.status = status;
            n.usedCpuMillis = 0;
            n.usedMemoryMiB = 0;
            n.kernelOwner = null;
        });
        List<Replica> running = state.chargingOn(node.name);
        for (Replica replica : running) {
            state.change(replica, r -> {
                r.nodeName = null;
                r.chargedCpuMillis = null;
                r.chargedMemoryMiB = null;
                r.placedAt = null;
                r.reason = reasonPrefix + node.name;
            });
            enqueue(replica, Mode.MOVED, null, null);
        }
        return running.size();
    }

    /** Queues every pending replica, oldest first, behind what the events before asked for (planned first). */
    private void retryPending() {
        flush();
        for (Replica replica : state.pending()) {
            enqueue(replica, Mode.PENDING, null, null);
        }
    }

    private void enqueue(Replica replica, Mode mode, Instant requestedAt, Tally tally) {
        if (queued.add(replica.instanceId)) {
            queue.add(new Queued(replica, mode, requestedAt, tally));
        }
    }

    /**
     * Takes replicas that a later event of the batch removes out of the queue: they are never placed, so no
     * {@code instance.placed} goes out for a replica its deployment no longer wants (control-api stopped those that
     * were never placed when it removed them).
     */
    private void unqueue(List<Replica> replicas) {
        for (Replica replica : replicas) {
            if (queued.remove(replica.instanceId)) {
                Queued item = queue.stream().filter(q -> q.replica() == replica).findFirst().orElseThrow();
                queue.remove(item);
                if (item.tally() != null) {
                    item.tally().withdrawn++;
                }
            }
        }
    }

    /**
     * Plans the queue in one session over the view as the batch has left it, and applies each decision to the view:
     * the node charged (and its kernel taken by a shared-kernel replica), the replica placed, the event appended.
     * Unschedulable events only for new and moved replicas: a pending one that still does not fit was told already.
     */
    private void flush() {
        if (queue.isEmpty()) {
            return;
        }
        Set<UUID> deployments = new HashSet<>();
        queue.forEach(q -> deployments.add(q.replica().deploymentId));
        Scheduler.Session session = scheduler.session(state.views(deployments));
        for (Queued item : queue) {
            Replica replica = item.replica();
            PlacementDecision decision = session.place(replica.toRequest());
            switch (decision) {
                case PlacementDecision.Placed placed -> {
                    Resources charged = placed.charged();
                    state.change(state.node(placed.nodeName()), n -> {
                        n.usedCpuMillis += charged.cpuMillis();
                        n.usedMemoryMiB += charged.memoryMiB();
                        if (replica.isolation == Isolation.SHARED) {
                            n.kernelOwner = replica.tenant;
                        }
                    });
                    state.change(replica, r -> {
                        r.nodeName = placed.nodeName();
                        r.chargedCpuMillis = charged.cpuMillis();
                        r.chargedMemoryMiB = charged.memoryMiB();
                        r.reason = null;
                        r.placedAt = now;
                        r.endedAt = null;
                    });
                    outbox.add(Event.of(SOURCE, now, replica.tenant, replica.instanceId.toString(),
                            new InstancePlaced(replica.instanceId, replica.deploymentId, placed.nodeName(),
                                    replica.isolation, item.mode() == Mode.NEW ? replica.relayedAt : null)));
                    outcomes.add(new Outcome(decision, item.requestedAt()));
                    if (item.tally() != null) {
                        item.tally().placed++;
                    }
                }
                case PlacementDecision.Unschedulable unschedulable -> {
                    String reason = unschedulable.explanation().toString();
                    if (!Objects.equals(reason, replica.reason)) {
                        state.change(replica, r -> r.reason = reason);
                    }
                    if (item.mode() != Mode.PENDING) {
                        refusalAnnounced = true;
                        outbox.add(Event.of(SOURCE, now, replica.tenant, replica.instanceId.toString(),
                                new InstanceUnschedulable(replica.instanceId, replica.deploymentId, reason)));
                        outcomes.add(new Outcome(decision, null));
                    }
                    if (item.tally() != null) {
                        item.tally().refused++;
                    }
                }
            }
        }
        queue.clear();
        queued.clear();
    }

    private Tally tally(String what) {
        Tally tally = new Tally(what);
        tallies.add(tally);
        return tally;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
