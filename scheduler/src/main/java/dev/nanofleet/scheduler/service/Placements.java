package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.NodeStatusChanged;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.messaging.ProcessedEvents;
import dev.nanofleet.scheduler.core.NodeStatus;
import dev.nanofleet.scheduler.core.NodeView;
import dev.nanofleet.scheduler.core.Plan;
import dev.nanofleet.scheduler.core.PlacementDecision;
import dev.nanofleet.scheduler.core.PlacementRequest;
import dev.nanofleet.scheduler.core.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies one event per transaction: the event id, the node capacity, the placements and the outgoing events commit
 * together. Node rows carry a version, so a concurrent scheduler that changed a node this transaction writes makes
 * the flush fail with an optimistic lock error; {@link SchedulerEventHandler} then re-runs the event from a fresh
 * view. Each method returns the decisions it committed, for metrics.
 */
@ApplicationScoped
public class Placements {

    static final String SOURCE = "/nanofleet/scheduler";
    private static final Logger LOG = Logger.getLogger(Placements.class);

    @Inject
    EntityManager em;

    @Inject
    Scheduler scheduler;

    @Inject
    Outbox outbox;

    @Inject
    ProcessedEvents processed;

    @Inject
    Clock clock;

    @Transactional
    public List<PlacementDecision> deploymentCreated(Event<DeploymentCreated> event) {
        return deploymentCreated(event, null);
    }

    /** @param relayedAt when Kafka received the event (its record's timestamp), passed on in each instance.placed */
    @Transactional
    public List<PlacementDecision> deploymentCreated(Event<DeploymentCreated> event, Instant relayedAt) {
        if (!processed.firstTime(event.id())) {
            LOG.debugf("event=%s already applied", event.id());
            return List.of();
        }
        DeploymentCreated deployment = event.data();
        Instant now = clock.instant();
        List<PlacementEntity> fresh = newPlacements(deployment.deploymentId(), deployment.tenant(),
                deployment.tenantTrust(), deployment.isolation(), deployment.resources(), deployment.replicas(), now);
        fresh.forEach(p -> p.relayedAt = relayedAt);
        List<PlacementDecision> decisions = schedule(fresh, Mode.NEW, now);
        LOG.infof("deployment=%s tenant=%s replicas=%d placed=%d unschedulable=%d", deployment.deploymentId(),
                deployment.tenant(), fresh.size(), count(decisions, PlacementDecision.Placed.class),
                count(decisions, PlacementDecision.Unschedulable.class));
        return decisions;
    }

    /** Placement rows (not persisted yet) for the replicas not placed or pending already, by ordinal. */
    private List<PlacementEntity> newPlacements(UUID deploymentId, String tenant, TenantTrust trust,
            Isolation isolation, Resources resources, List<DeploymentCreated.Replica> replicas, Instant now) {
        List<PlacementEntity> fresh = new ArrayList<>();
        for (DeploymentCreated.Replica replica : replicas.stream()
                .sorted(Comparator.comparingInt(DeploymentCreated.Replica::ordinal))
                .toList()) {
            // a second event for the same replicas (a new event id) must not place them twice
            if (em.find(PlacementEntity.class, replica.instanceId()) != null) {
                continue;
            }
            PlacementEntity placement = new PlacementEntity();
            placement.instanceId = replica.instanceId();
            placement.deploymentId = deploymentId;
            placement.ordinal = replica.ordinal();
            placement.tenant = tenant;
            placement.trust = trust;
            placement.isolation = isolation;
            placement.cpuMillis = resources.cpuMillis();
            placement.memoryMiB = resources.memoryMiB();
            placement.createdAt = now;
            fresh.add(placement);
        }
        return fresh;
    }

    /** What a scale event committed: the added replicas' decisions, and the pending replicas placed afterwards. */
    public record Scaled(List<PlacementDecision> added, List<PlacementDecision> retried) {
    }

    /**
     * Frees the removed replicas (as a deletion does), places the added ones (as a creation does), and retries pending
     * replicas when something was freed.
     */
    @Transactional
    public Scaled deploymentScaled(Event<DeploymentScaled> event) {
        return deploymentScaled(event, null);
    }

    /** @param relayedAt when Kafka received the event, passed on in the added replicas' instance.placed */
    @Transactional
    public Scaled deploymentScaled(Event<DeploymentScaled> event, Instant relayedAt) {
        if (!processed.firstTime(event.id())) {
            LOG.debugf("event=%s already applied", event.id());
            return new Scaled(List.of(), List.of());
        }
        DeploymentScaled scaled = event.data();
        Instant now = clock.instant();
        List<PlacementEntity> removed = new ArrayList<>();
        for (UUID instanceId : scaled.removed() == null ? List.<UUID>of() : scaled.removed()) {
            PlacementEntity placement = em.find(PlacementEntity.class, instanceId);
            if (placement == null) {
                continue; // already freed (or never known): nothing to give back
            }
            if (!placement.deploymentId.equals(scaled.deploymentId())) {
                LOG.warnf("deployment=%s scale names instance=%s of deployment=%s, not removed",
                        scaled.deploymentId(), instanceId, placement.deploymentId);
                continue;
            }
            removed.add(placement);
        }
        Set<String> touched = free(removed);
        List<PlacementEntity> fresh = newPlacements(scaled.deploymentId(), scaled.tenant(), scaled.tenantTrust(),
                scaled.isolation(), scaled.resources(), scaled.added() == null ? List.of() : scaled.added(), now);
        fresh.forEach(p -> p.relayedAt = relayedAt);
        List<PlacementDecision> added = schedule(fresh, Mode.NEW, now);
        List<PlacementDecision> retried = removed.isEmpty() ? List.of() : retryPending();
        LOG.infof("deployment=%s scaled to replicas=%d added=%d placed=%d unschedulable=%d removed=%d on nodes=%s",
                scaled.deploymentId(), scaled.replicas(), fresh.size(), count(added, PlacementDecision.Placed.class),
                count(added, PlacementDecision.Unschedulable.class), removed.size(), touched);
        return new Scaled(added, retried);
    }

    /**
     * An operator's decision about a node. CORDONED keeps its placements and takes nothing new; SCHEDULABLE makes it
     * READY and retries pending replicas; DRAINING takes nothing new and places its instances elsewhere (as for a lost
     * node). A LOST node stays LOST: it runs nothing the scheduler knows of, and only its own heartbeat revives it.
     */
    @Transactional
    public List<PlacementDecision> nodeSchedulingChanged(Event<NodeSchedulingChanged> event) {
        if (!processed.firstTime(event.id())) {
            return List.of();
        }
        NodeSchedulingChanged change = event.data();
        NodeEntity node = em.find(NodeEntity.class, change.nodeName());
        if (node == null) {
            LOG.infof("node=%s scheduling=%s for an unknown node ignored", change.nodeName(), change.scheduling());
            return List.of();
        }
        if (node.status == NodeStatus.LOST) {
            LOG.infof("node=%s scheduling=%s ignored: the node is lost (its instances were moved already)", node.name,
                    change.scheduling());
            return List.of();
        }
        NodeStatus was = node.status;
        return switch (change.scheduling()) {
            case CORDONED -> {
                node.status = NodeStatus.CORDONED;
                em.flush();
                LOG.infof("node=%s cordoned (was %s)", node.name, was);
                yield List.of();
            }
            case SCHEDULABLE -> {
                node.status = NodeStatus.READY;
                em.flush();
                LOG.infof("node=%s schedulable (was %s)", node.name, was);
                yield retryPending();
            }
            case DRAINING -> drain(node, was);
        };
    }

    private List<PlacementDecision> drain(NodeEntity node, NodeStatus was) {
        List<PlacementEntity> moving = empty(node, NodeStatus.DRAINING, "node draining: ");
        List<PlacementDecision> decisions = schedule(moving, Mode.MOVED, clock.instant());
        LOG.infof("node=%s draining (was %s), instances=%d moved=%d unschedulable=%d", node.name, was, moving.size(),
                count(decisions, PlacementDecision.Placed.class),
                count(decisions, PlacementDecision.Unschedulable.class));
        return decisions;
    }

    /** Upserts the node (its used capacity stays: that is derived from placements) and retries pending replicas. */
    @Transactional
    public List<PlacementDecision> nodeRegistered(Event<NodeRegistered> event) {
        if (!processed.firstTime(event.id())) {
            return List.of();
        }
        NodeRegistered registered = event.data();
        NodeEntity node = em.find(NodeEntity.class, registered.nodeName());
        boolean isNew = node == null;
        if (isNew) {
            node = new NodeEntity();
            node.name = registered.nodeName();
            node.registeredAt = event.time();
            node.lastHeartbeat = event.time();
        }
        node.allocatableCpuMillis = registered.allocatable().cpuMillis();
        node.allocatableMemoryMiB = registered.allocatable().memoryMiB();
        node.isolations = registered.isolations() == null ? Set.of() : Set.copyOf(registered.isolations());
        node.labels = registered.labels() == null ? Map.of() : Map.copyOf(registered.labels());
        // an operator's cordon or drain outlives the agent re-registering; a lost node waits for control-api's
        // node.status-changed READY (liveness has one owner)
        if (isNew) {
            node.status = NodeStatus.READY;
        }
        if (event.time().isAfter(node.lastHeartbeat)) {
            node.lastHeartbeat = event.time();
        }
        if (isNew) {
            em.persist(node);
        }
        em.flush();
        LOG.infof("node=%s registered allocatable=%s isolations=%s", node.name, node.allocatable(), node.isolations);
        return retryPending();
    }

    /**
     * control-api's decision about a node's liveness. LOST: its capacity and kernel are freed and the replicas running
     * there are placed elsewhere (as for a drain). READY (back from LOST, empty): status READY and pending replicas are
     * retried at once, so replicas that waited for capacity while it was gone get it back. A READY for a node that is
     * not LOST changes nothing (an operator's cordon or drain stays).
     */
    @Transactional
    public List<PlacementDecision> nodeStatusChanged(Event<NodeStatusChanged> event) {
        if (!processed.firstTime(event.id())) {
            return List.of();
        }
        NodeStatusChanged change = event.data();
        NodeEntity node = em.find(NodeEntity.class, change.nodeName());
        if (node == null) {
            LOG.infof("node=%s status=%s for an unknown node ignored", change.nodeName(), change.status());
            return List.of();
        }
        if (change.lastHeartbeat() != null && change.lastHeartbeat().isAfter(node.lastHeartbeat)) {
            node.lastHeartbeat = change.lastHeartbeat();
        }
        return switch (change.status()) {
            case LOST -> node.status == NodeStatus.LOST ? List.<PlacementDecision>of() : lose(node, change.reason());
            case READY -> {
                if (node.status != NodeStatus.LOST) {
                    em.flush();
                    yield List.of();
                }
                node.status = NodeStatus.READY;
                em.flush();
                LOG.infof("node=%s ready again (empty): %s", node.name, change.reason());
                yield retryPending();
            }
        };
    }

    /**
     * The node is gone: free it (capacity, kernel) and place the replicas it ran elsewhere: a new
     * {@code instance.placed} for the same instance id on another node, or {@code instance.unschedulable} when no node
     * can take it (it then waits as pending, and is placed when capacity appears, e.g. this node back READY).
     */
    private List<PlacementDecision> lose(NodeEntity node, String why) {
        NodeStatus was = node.status;
        List<PlacementEntity> orphans = empty(node, NodeStatus.LOST, "node lost: ");
        List<PlacementDecision> decisions = schedule(orphans, Mode.MOVED, clock.instant());
        LOG.warnf("node=%s lost (was %s): %s; instances=%d moved=%d unschedulable=%d", node.name, was, why,
                orphans.size(), count(decisions, PlacementDecision.Placed.class),
                count(decisions, PlacementDecision.Unschedulable.class));
        return decisions;
    }

    /**
     * Sets the node's status, frees it (capacity, kernel) and unplaces the replicas it runs, with the reason; returns
     * them for placing elsewhere. Ended replicas stay where they ended: they hold nothing.
     */
    private List<PlacementEntity> empty(NodeEntity node, NodeStatus status, String reasonPrefix) {
        node.status = status;
        node.usedCpuMillis = 0;
        node.usedMemoryMiB = 0;
        node.kernelOwner = null;
        List<PlacementEntity> running = em.createQuery("""
                SELECT p FROM PlacementEntity p WHERE p.nodeName = :node AND p.endedAt IS NULL
                ORDER BY p.createdAt, p.ordinal, p.instanceId""", PlacementEntity.class)
                .setParameter("node", node.name)
                .getResultList();
        for (PlacementEntity placement : running) {
            placement.unplace(reasonPrefix + node.name);
        }
        em.flush();
        return running;
    }

    /**
     * A node reported an instance's state. When its process ended (EXITED, FAILED, STOPPED) the replica gives its
     * capacity back and pending replicas are retried; when an ended replica runs again (restarted) it is charged again,
     * even past the node's allocatable: it runs there already, and refusing to count it would only hide the overcommit.
     * Reports from a node the replica no longer runs on (it moved) change nothing.
     */
    @Transactional
    public List<PlacementDecision> instanceStateChanged(Event<InstanceStateChanged> event) {
        if (!processed.firstTime(event.id())) {
            return List.of();
        }
        InstanceStateChanged change = event.data();
        PlacementEntity placement = em.find(PlacementEntity.class, change.instanceId());
        if (placement == null || !placement.placed() || !placement.nodeName.equals(change.nodeName())) {
            LOG.debugf("instance=%s state=%s from node=%s: not placed there, ignored", change.instanceId(),
                    change.state(), change.nodeName());
            return List.of();
        }
        NodeEntity node = em.find(NodeEntity.class, placement.nodeName);
        boolean ended = change.state().isTerminal();
        if (ended && placement.endedAt == null) {
            placement.endedAt = event.time();
            node.usedCpuMillis = Math.max(0, node.usedCpuMillis - placement.chargedCpuMillis);
            node.usedMemoryMiB = Math.max(0, node.usedMemoryMiB - placement.chargedMemoryMiB);
            em.flush();
            releaseKernelIfUnused(node);
            LOG.infof("instance=%s %s on node=%s, freed %s", placement.instanceId, change.state(), node.name,
                    placement.charged());
            return retryPending();
        }
        if (!ended && placement.endedAt != null) {
            placement.endedAt = null;
            node.usedCpuMillis += placement.chargedCpuMillis;
            node.usedMemoryMiB += placement.chargedMemoryMiB;
            if (placement.isolation == Isolation.SHARED && node.kernelOwner == null) {
                node.kernelOwner = placement.tenant;
            }
            em.flush();
            LOG.infof("instance=%s %s again on node=%s, charged %s (used now %s of %s)", placement.instanceId,
                    change.state(), node.name, placement.charged(), node.used(), node.allocatable());
        }
        return List.of();
    }

    /** Frees the capacity of every replica of the deployment, releases emptied kernels, and retries pending ones. */
    @Transactional
    public List<PlacementDecision> deploymentDeleted(Event<DeploymentDeleted> event) {
        if (!processed.firstTime(event.id())) {
            return List.of();
        }
        UUID deploymentId = event.data().deploymentId();
        List<PlacementEntity> placements = em
                .createQuery("SELECT p FROM PlacementEntity p WHERE p.deploymentId = :id", PlacementEntity.class)
                .setParameter("id", deploymentId)
                .getResultList();
        Set<String> touched = free(placements);
        LOG.infof("deployment=%s deleted, freed replicas=%d on nodes=%s", deploymentId, placements.size(), touched);
        return retryPending();
    }

    /**
     * Gives back the capacity the placements were charged, drops them, and releases a node's kernel when no
     * shared-kernel instance is left there. Returns the nodes that had some of them.
     */
    private Set<String> free(List<PlacementEntity> placements) {
        Set<String> touched = new HashSet<>();
        for (PlacementEntity placement : placements) {
            if (placement.charging()) {
                NodeEntity node = em.find(NodeEntity.class, placement.nodeName);
                node.usedCpuMillis = Math.max(0, node.usedCpuMillis - placement.chargedCpuMillis);
                node.usedMemoryMiB = Math.max(0, node.usedMemoryMiB - placement.chargedMemoryMiB);
                touched.add(node.name);
            }
            em.remove(placement);
        }
        em.flush();
        for (String name : touched) {
            releaseKernelIfUnused(em.find(NodeEntity.class, name));
        }
        return touched;
    }

    private void releaseKernelIfUnused(NodeEntity node) {
        if (node.kernelOwner != null && sharedKernelInstancesOn(node.name) == 0) {
            node.kernelOwner = null;
            em.flush();
        }
    }

    private long sharedKernelInstancesOn(String node) {
        return em.createQuery("""
                SELECT count(p) FROM PlacementEntity p
                WHERE p.nodeName = :node AND p.isolation = :shared AND p.endedAt IS NULL""",
                Long.class).setParameter("node", node).setParameter("shared", Isolation.SHARED).getSingleResult();
    }

    /** Places every pending replica that now fits, oldest first. Announces only the ones that got a node. */
    private List<PlacementDecision> retryPending() {
        List<PlacementEntity> pending = em.createQuery(
                """
                        SELECT p FROM PlacementEntity p WHERE p.nodeName IS NULL ORDER BY p.createdAt, p.ordinal, p.instanceId""",
                PlacementEntity.class).getResultList();
        if (pending.isEmpty()) {
            return List.of();
        }
        List<PlacementDecision> decisions = schedule(pending, Mode.PENDING, clock.instant());
        List<PlacementDecision> placed = decisions.stream()
                .filter(PlacementDecision.Placed.class::isInstance)
                .toList();
        LOG.infof("retried pending=%d placed=%d", pending.size(), placed.size());
        return placed;
    }

    /**
     * Runs the core over the current nodes for the given placements (new ones are persisted), writes node capacity and
     * placement rows, and appends the events. Unschedulable events only for new placements: a pending replica that
     * still does not fit was already told why.
     */
    private List<PlacementDecision> schedule(List<PlacementEntity> placements, Mode mode, Instant now) {
        if (placements.isEmpty()) {
            return List.of();
        }
        Map<String, NodeEntity> nodes = new HashMap<>();
        for (NodeEntity node : em.createQuery("SELECT n FROM NodeEntity n", NodeEntity.class).getResultList()) {
            nodes.put(node.name, node);
        }
        Set<UUID> deployments = new HashSet<>();
        placements.forEach(p -> deployments.add(p.deploymentId));
        Map<String, Map<UUID, Integer>> replicas = replicaCounts(deployments);
        List<NodeView> view = nodes.values()
                .stream()
                .map(n -> n.toView(replicas.getOrDefault(n.name, Map.of())))
                .toList();
        Map<UUID, PlacementEntity> byInstance = new HashMap<>();
        List<PlacementRequest> requests = new ArrayList<>();
        for (PlacementEntity placement : placements) {
            byInstance.put(placement.instanceId, placement);
            requests.add(placement.toRequest());
        }

        Plan plan = scheduler.placeAll(requests, view);

        for (NodeView after : plan.nodes().values()) {
            NodeEntity node = nodes.get(after.name());
            if (!after.used().equals(node.used()) || !Objects.equals(after.kernelOwner(), node.kernelOwner)) {
                node.apply(after);
            }
        }
        for (PlacementDecision decision : plan.decisions()) {
            PlacementEntity placement = byInstance.get(decision.request().instanceId());
            switch (decision) {
                case PlacementDecision.Placed placed -> {
                    placement.placeOn(placed.nodeName(), placed.charged(), now);
                    outbox.append(Event.of(SOURCE, now, placement.tenant, placement.instanceId.toString(),
                            new InstancePlaced(placement.instanceId, placement.deploymentId, placed.nodeName(),
                                    placement.isolation, mode == Mode.NEW ? placement.relayedAt : null)));
                }
                case PlacementDecision.Unschedulable unschedulable -> {
                    placement.reason = unschedulable.explanation().toString();
                    if (mode != Mode.PENDING) {
                        outbox.append(Event.of(SOURCE, now, placement.tenant, placement.instanceId.toString(),
                                new InstanceUnschedulable(placement.instanceId, placement.deploymentId,
                                        placement.reason)));
                    }
                }
            }
            if (mode == Mode.NEW) {
                em.persist(placement);
            }
        }
        // surface a concurrent change of a node now, inside the transaction, so the caller can retry the event
        em.flush();
        return plan.decisions();
    }

    /** What is being scheduled: new replicas (persisted, told when refused), pending ones, or ones a lost node ran. */
    private enum Mode {
        NEW, PENDING, MOVED
    }

    /** How many replicas wait for a node; for the queue-length gauge. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long pendingCount() {
        return em.createQuery("SELECT count(p) FROM PlacementEntity p WHERE p.nodeName IS NULL", Long.class)
                .getSingleResult();
    }

    private Map<String, Map<UUID, Integer>> replicaCounts(Collection<UUID> deployments) {
        Map<String, Map<UUID, Integer>> counts = new HashMap<>();
        List<Object[]> rows = em.createQuery("""
                SELECT p.nodeName, p.deploymentId, count(p) FROM PlacementEntity p
                WHERE p.nodeName IS NOT NULL AND p.endedAt IS NULL AND p.deploymentId IN :deployments
                GROUP BY p.nodeName, p.deploymentId""", Object[].class)
                .setParameter("deployments", deployments)
                .getResultList();
        for (Object[] row : rows) {
            counts.computeIfAbsent((String) row[0], n -> new HashMap<>())
                    .put((UUID) row[1], ((Long) row[2]).intValue());
        }
        return counts;
    }

    private static long count(List<PlacementDecision> decisions, Class<?> kind) {
        return decisions.stream().filter(kind::isInstance).count();
    }
}
