package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.controlapi.deployment.DeploymentEntity;
import dev.nanofleet.controlapi.deployment.InstanceEntity;
import dev.nanofleet.controlapi.deployment.RevisionSpec;
import dev.nanofleet.controlapi.deployment.Revisions;
import dev.nanofleet.controlapi.deployment.Rollouts;
import dev.nanofleet.controlapi.deployment.TenantWorkloads;
import dev.nanofleet.controlapi.kafka.EventFactory;
import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.Ids;
import dev.nanofleet.controlapi.logs.EndedInstances;
import dev.nanofleet.controlapi.network.PrivateNetworks;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.secrets.SecretBox;
import dev.nanofleet.controlapi.startup.StartPhaseTimers;
import dev.nanofleet.controlapi.startup.StartTimelineRules;
import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceHealthChanged;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.events.NodeRemoved;
import dev.nanofleet.events.NodeSchedulingChanged;
import dev.nanofleet.events.Resources;
import dev.nanofleet.messaging.Outbox;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.AssignmentList;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.PrivateNetwork;
import dev.nanofleet.nodeapi.RegistryCredentials;
import dev.nanofleet.nodeapi.UsageReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.nodeapi.OsReleaseManifest;
import dev.nanofleet.nodeapi.OsUpgradeOrder;
import dev.nanofleet.controlapi.openapi.EnumNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** The node gateway's state: registrations, heartbeats, assignments and the status nodes report. */
@ApplicationScoped
public class NodeService {

    private static final Logger LOG = Logger.getLogger(NodeService.class);

    static final int MAX_AGENT_VERSION = 128;

    private final EntityManager em;
    private final Outbox outbox;
    private final EventFactory events;
    private final Clock clock;
    private final ControlApiConfig config;
    private final SecretBox secrets;
    private final NodeLivenessStore liveness;
    private final AgentUrlRules agentUrls;
    private final EndedInstances ended;
    private final TenantWorkloads workloads;
    private final Revisions revisions;
    private final Rollouts rollouts;
    private final FleetInstances fleet;
    private final HeartbeatLedger heartbeats;
    private final NodeIdentities identities;
    private final StartPhaseTimers startPhases;
    private final PrivateNetworks privateNetworks;

    NodeService(EntityManager em, Outbox outbox, EventFactory events, Clock clock, ControlApiConfig config,
            SecretBox secrets, NodeLivenessStore liveness, AgentUrlRules agentUrls, EndedInstances ended,
            TenantWorkloads workloads, Revisions revisions, Rollouts rollouts, FleetInstances fleet,
            HeartbeatLedger heartbeats, NodeIdentities identities, StartPhaseTimers startPhases,
            PrivateNetworks privateNetworks) {
        this.privateNetworks = privateNetworks;
        this.fleet = fleet;
        this.heartbeats = heartbeats;
        this.identities = identities;
        this.startPhases = startPhases;
        this.revisions = revisions;
        this.rollouts = rollouts;
        this.liveness = liveness;
        this.em = em;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.secrets = secrets;
        this.agentUrls = agentUrls;
        this.ended = ended;
        this.workloads = workloads;
    }

    /**
     * Creates or replaces the node's registration; a restarted agent registers again with what it has now.
     *
     * @param peerAddress the IP address the registration came from: the agent URL must point there (or into a
     *        configured agent network), so a node cannot send control-api to another host
     * @throws ProblemException 400 for an invalid registration, 422 {@code agent-url-not-allowed} for an agent URL
     *         control-api will not call
     */
    @Transactional
    public RegisteredNode register(String nodeName, NodeRegistration registration, String peerAddress) {
        List<FieldError> errors = validate(registration);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String refusal = registration.agentUrl() == null
                ? null
                : agentUrls.refusal(registration.agentUrl(), peerAddress);
        if (refusal != null) {
            LOG.warnf("agent URL refused node=%s peer=%s reason=%s", nodeName, peerAddress, refusal);
            throw new ProblemException(ProblemType.AGENT_URL_NOT_ALLOWED, "node '" + nodeName
                    + "' registered an agent URL control-api will not call",
                    List.of(new FieldError("agentUrl",
                            refusal)));
        }
        Map<String, String> labels = NodeLabels.merge(registration.labels(), identities.stampedLabels(nodeName));
        if (labels.size() > NodeLabels.MAX_LABELS) {
            throw ProblemException.invalid(List.of(new FieldError("labels", "with the labels the node's join token"
                    + " stamped, must have at most " + NodeLabels.MAX_LABELS + " labels")));
        }
        Instant now = clock.instant();
        NodeEntity node = em.find(NodeEntity.class, nodeName);
        boolean fresh = node == null;
        if (fresh) {
            node = new NodeEntity();
            node.name = nodeName;
            node.registeredAt = now;
        } else if (node.removedAt != null) {
            // removed by an operator and enrolled again: a new node under an old name, schedulable from the start
            node.removedAt = null;
            node.registeredAt = now;
            if (node.scheduling != NodeScheduling.SCHEDULABLE) {
                node.scheduling = NodeScheduling.SCHEDULABLE;
                outbox.append(events.event(null, nodeName,
                        new NodeSchedulingChanged(nodeName, NodeScheduling.SCHEDULABLE)));
            }
        }
        node.cpuMillis = registration.allocatable().cpuMillis();
        node.memoryMiB = registration.allocatable().memoryMiB();
        node.isolations = EnumSet.copyOf(registration.isolations());
        node.labels = new TreeMap<>(labels);
        node.agentVersion = registration.agentVersion();
        node.agentUrl = registration.agentUrl();
        node.osVersion = registration.osVersion();
        node.bootSlot = registration.bootSlot();
        if (fresh) {
            node.lastHeartbeat = now;
            em.persist(node);
        }
        endUpgrade(node, now);
        em.flush();
        outbox.append(events.event(null, nodeName, new NodeRegistered(nodeName, registration.allocatable(),
                node.isolations, node.labels)));
        // a registration is a sign of life: after node.registered, so a lost node comes back with its new capacity
        liveness.alive(nodeName, now);
        em.refresh(node);
        LOG.infof("node registered node=%s allocatable=%s isolations=%s agent=%s agentUrl=%s os=%s slot=%s", nodeName,
                registration.allocatable(), node.isolations, registration.agentVersion(), registration.agentUrl(),
                registration.osVersion(), registration.bootSlot());
        return RegisteredNode.of(node, state(node, now));
    }

    /**
     * A node that registers after an OS upgrade's reboot ends it ({@link UpgradeRules#afterRegistration}): on the new
     * version it succeeded, on the old one systemd-boot fell back. Either way the node runs a good slot again, so the
     * scheduling the upgrade's drain replaced is put back.
     */
    private void endUpgrade(NodeEntity node, Instant now) {
        NodeUpgradeEntity upgrade = em.find(NodeUpgradeEntity.class, node.name);
        if (upgrade == null) {
            return;
        }
        UpgradeRules.afterRegistration(upgrade.state, upgrade.version, node.osVersion).ifPresent(end -> {
            upgrade.state = end;
            String registered = "registered with " + node.osVersion + " from slot " + node.bootSlot;
            upgrade.detail = end == UpgradeState.SUCCEEDED
                    ? registered
                    : registered + ": the new slot did not come up and the node fell back to the old one";
            upgrade.updatedAt = now;
            if (upgrade.previousScheduling != null && node.scheduling != upgrade.previousScheduling) {
                node.scheduling = upgrade.previousScheduling;
                outbox.append(events.event(null, node.name, new NodeSchedulingChanged(node.name,
                        upgrade.previousScheduling)));
            }
            LOG.infof("event=node.upgrade.%s node=%s version=%s registered=%s slot=%s", EnumNames.json(end),
                    node.name, upgrade.version, node.osVersion, node.bootSlot);
        });
    }

    /**
     * Records that the node is alive, in memory until the {@link HeartbeatLedger} writes it with the others' (a
     * targeted UPDATE of the heartbeat column, so it never writes back an operator's cordon or drain it did not see).
     * Publishes nothing unless a LOST node becomes READY again.
     */
    public void heartbeat(String nodeName) {
        if (!heartbeats.note(nodeName)) {
            throw ProblemException.notFound("node '" + nodeName + "' (register it first)");
        }
    }

    /**
     * Every instance placed on the node that has not ended, with what the node needs to start it; then the ended ones
     * whose output is still kept, as {@link DesiredState#ENDED} (the node keeps their files and runs nothing); and the
     * private networks of the tenants whose instances it runs ({@link PrivateNetworks}).
     */
    @Transactional
    public AssignmentList assignments(String nodeName) {
        List<Assignment> assignments = new ArrayList<>();
        Set<String> hosted = new TreeSet<>();
        for (FleetInstances.Placed placed : fleet.placedOn(nodeName)) {
            InstanceEntity instance = placed.instance();
            DeploymentEntity d = instance.deployment();
            hosted.add(d.tenant);
            RevisionSpec spec = placed.spec();
            assignments.add(new Assignment(instance.id(), d.id, d.tenant, spec.image(), instance.isolation(),
                    new Resources(spec.cpuMillis(), spec.memoryMiB()), spec.command(), environment(d, spec),
                    instance.desiredState(), spec.restartPolicy(), spec.publishedPorts(), imageCredentials(d, spec),
                    spec.healthCheck(), spec.egress()));
        }
        for (InstanceEntity instance : ended.keptOn(nodeName)) {
            DeploymentEntity d = instance.deployment();
            RevisionSpec spec = revisions.spec(d, instance.revision());
            // nothing is started from it: no env, no credentials
            assignments.add(new Assignment(instance.id(), d.id, d.tenant, spec.image(), instance.isolation(),
                    new Resources(spec.cpuMillis(), spec.memoryMiB()), spec.command(), Map.of(), DesiredState.ENDED,
                    spec.restartPolicy(), List.of(), null));
        }
        NodeUpgradeEntity upgrade = em.find(NodeUpgradeEntity.class, nodeName);
        // until the node says it reboots: after that there is nothing left for it to do
        OsUpgradeOrder osUpgrade = upgrade != null && upgrade.state.inProgress()
                && upgrade.state != UpgradeState.REBOOTING ? new OsUpgradeOrder(upgrade.version) : null;
        return new AssignmentList(nodeName, assignments, privateNetworks(nodeName, hosted), osUpgrade);
    }

    /** The hosted tenants' private networks; none (the node keeps its own subnets) when the range is full. */
    private List<PrivateNetwork> privateNetworks(String nodeName, Set<String> tenants) {
        try {
            return privateNetworks.forNode(nodeName, tenants);
        } catch (IllegalStateException e) {
            LOG.errorf("event=private-network.unavailable node=%s reason=\"%s\"", nodeName, e.getMessage());
            return List.of();
        }
    }

    /**
     * The replica's environment: the plain variables and the secret ones, opened for the node that runs it (the only
     * place a secret's value goes). Names never overlap: the request validation refuses a secret named like an env var.
     */
    private Map<String, String> environment(DeploymentEntity d, RevisionSpec spec) {
        if (spec.secretsSealed().isEmpty()) {
            return spec.env();
        }
        Map<String, String> env = new TreeMap<>(spec.env());
        spec.secretsSealed().forEach((name, sealed) -> env.put(name, secrets.open(sealed, d.secretContext(name))));
        return env;
    }

    /** The registry login of a private image, opened for the node that pulls it; null for a public image. */
    private RegistryCredentials imageCredentials(DeploymentEntity d, RevisionSpec spec) {
        return spec.registryUsername() == null
                ? null
                : new RegistryCredentials(spec.registryUsername(),
                        secrets.open(spec.registryPasswordSealed(), d.id.toString()));
    }

    /**
     * Records what the node says about one of its instances. Reports about instances placed elsewhere are refused as
     * not found (a node cannot learn about other nodes' instances); stale and repeated reports change nothing.
     *
     * @return true when the report changed the instance
     */
    @Transactional
    public boolean report(String nodeName, String instanceId, InstanceStatusReport report) {
        List<FieldError> errors = new ArrayList<>(NodeStatusRules.validate(report));
        if (report != null) {
            errors.addAll(StartTimelineRules.validate(report.timeline(), clock.instant()));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        InstanceEntity instance = Ids.parse(instanceId).map(id -> em.find(InstanceEntity.class, id)).orElse(null);
        if (instance == null || !nodeName.equals(instance.nodeName())) {
            throw ProblemException.notFound("instance '" + instanceId + "' on node '" + nodeName + "'");
        }
        InstanceState stateBefore = instance.state();
        String reasonBefore = instance.reason();
        Integer exitBefore = instance.exitCode();
        int restartsBefore = instance.restarts();
        InstanceHealth healthBefore = instance.health();
        String healthReasonBefore = instance.healthReason();
        boolean startedBefore = instance.timeline().reportedAt() != null;
        if (!instance.applyReport(report, clock.instant())) {
            LOG.debugf("ignored report node=%s instance=%s state=%s current=%s", nodeName, instance.id(),
                    report.state(), instance.state());
            return false;
        }
        workloads.afterReport(instance);
        if (!startedBefore && instance.timeline().reportedAt() != null) {
            startPhases.record(instance.timeline());
        }
        DeploymentEntity d = instance.deployment();
        if (stateBefore != instance.state() || !Objects.equals(reasonBefore, instance.reason())
                || !Objects.equals(exitBefore, instance.exitCode()) || restartsBefore != instance.restarts()) {
            outbox.append(events.event(d.tenant, instance.id().toString(), new InstanceStateChanged(instance.id(),
                    d.id, nodeName, report.state(), report.reason(), report.exitCode(), instance.isolation(),
                    revisions.spec(d, instance.revision()).resources())));
            LOG.infof("instance=%s node=%s state=%s reason=%s exitCode=%s restarts=%d", instance.id(), nodeName,
                    report.state(), report.reason(), report.exitCode(), report.restarts());
        }
        if (instance.health() != null && (healthBefore != instance.health()
                || !Objects.equals(healthReasonBefore, instance.healthReason()))) {
            outbox.append(events.event(d.tenant, instance.id().toString(), new InstanceHealthChanged(instance.id(),
                    d.id, nodeName, instance.health(), instance.healthReason())));
            LOG.infof("instance=%s node=%s health=%s reason=%s", instance.id(), nodeName, instance.health(),
                    instance.healthReason());
        }
        rollouts.advance(d);
        return true;
    }

    /**
     * Records a node's usage samples and publishes each for billing. A sample of an instance that is not (or no longer)
     * on this node is dropped, as is one not newer than the last stored: a node cannot bill another node's instances,
     * and a retried report bills nothing twice.
     *
     * @return how many samples were accepted
     */
    @Transactional
    public int usage(String nodeName, UsageReport report) {
        List<FieldError> errors = NodeStatusRules.validate(report);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        int accepted = 0;
        for (UsageReport.Sample sample : report.samples()) {
            InstanceEntity instance = em.find(InstanceEntity.class, sample.instanceId());
            if (instance == null || !instance.recordUsage(nodeName, sample)) {
                continue;
            }
            DeploymentEntity d = instance.deployment();
            outbox.append(events.event(d.tenant, instance.id().toString(),
                    new InstanceUsageSampled(instance.id(), d.id, d.tenant, nodeName, instance.isolation(),
                            revisions.spec(d, instance.revision()).resources(), sample.sampledAt(), sample.cpuNanos(),
                            sample.memoryBytes())));
            accepted++;
        }
        return accepted;
    }

    /**
     * Sets what the scheduler may do with the node: an operator's cordon ({@code CORDONED}), drain ({@code DRAINING})
     * or uncordon ({@code SCHEDULABLE}). Asking for what the node already has changes nothing and publishes nothing.
     */
    @Transactional
    public NodeView setScheduling(String nodeName, NodeScheduling scheduling) {
        NodeEntity node = em.find(NodeEntity.class, nodeName);
        if (node == null || node.removedAt != null) {
            throw ProblemException.notFound("node '" + nodeName + "'");
        }
        Instant now = clock.instant();
        if (node.scheduling != scheduling) {
            NodeScheduling previous = node.scheduling;
            node.scheduling = scheduling;
            outbox.append(events.event(null, nodeName, new NodeSchedulingChanged(nodeName, scheduling)));
            LOG.infof("node scheduling node=%s %s->%s", nodeName, previous, scheduling);
        }
        return view(node, now, NodeLoad.of(fleet.viewsOn(nodeName)));
    }

    /**
     * Removes the node from the fleet: its credential is revoked (its next request is refused) and it is marked LOST,
     * which the scheduler answers by placing its replicas elsewhere, then {@code node.removed} tells consumers to forget
     * it. It leaves the fleet views; its name may enroll again with a new join token.
     *
     * @throws ProblemException 404 when there is no such node (or it was removed already and holds no credential)
     */
    @Transactional
    public void remove(String nodeName, String actor) {
        boolean revoked = identities.revoke(nodeName, actor);
        NodeEntity node = em.find(NodeEntity.class, nodeName);
        boolean listed = node != null && node.removedAt == null;
        if (!revoked && !listed) {
            throw ProblemException.notFound("node '" + nodeName + "'");
        }
        if (node != null) {
            Instant now = clock.instant();
            node.removedAt = now;
            em.flush();
            String reason = "removed by " + actor;
            liveness.markRemoved(nodeName, now, reason);
            heartbeats.forget(nodeName);
            // after its LOST (same partition): the scheduler has moved the node's replicas when it forgets the node
            outbox.append(events.event(null, nodeName, new NodeRemoved(nodeName, reason)));
        }
        LOG.infof("event=node.removed node=%s credentialRevoked=%s actor=%s", nodeName, revoked, actor);
    }

    @Transactional
    public List<NodeView> list() {
        Instant now = clock.instant();
        Map<String, List<FleetInstanceView>> placed = fleet.viewsByNode();
        // one query for every node's upgrade, not one per node
        Map<String, NodeUpgradeEntity> upgrades = em.createQuery("SELECT u FROM NodeUpgradeEntity u",
                NodeUpgradeEntity.class).getResultStream().collect(Collectors.toMap(u -> u.nodeName, u -> u));
        return em.createQuery("SELECT n FROM NodeEntity n WHERE n.removedAt IS NULL ORDER BY n.name",
                NodeEntity.class).getResultList()
                .stream().map(n -> NodeView.of(RegisteredNode.of(n, state(n, now)),
                        NodeLoad.of(placed.getOrDefault(n.name, List.of())), upgrades.get(n.name)))
                .toList();
    }

    /** One node with every instance placed there that has not ended (what its figures sum up). */
    @Transactional
    public NodeDetailView get(String nodeName) {
        NodeEntity node = em.find(NodeEntity.class, nodeName);
        if (node == null || node.removedAt != null) {
            throw ProblemException.notFound("node '" + nodeName + "'");
        }
        List<FleetInstanceView> placed = fleet.viewsOn(nodeName);
        return new NodeDetailView(view(node, clock.instant(), NodeLoad.of(placed)), placed);
    }

    /** The fleet's instances an operator asked for: by state, node and tenant. */
    @Transactional
    public List<FleetInstanceView> instances(FleetInstanceQuery query) {
        return fleet.find(query);
    }

    private NodeView view(NodeEntity node, Instant now, NodeLoad load) {
        return NodeView.of(RegisteredNode.of(node, state(node, now)), load, em.find(NodeUpgradeEntity.class,
                node.name));
    }

    private NodeState state(NodeEntity node, Instant now) {
        boolean ready = !node.lastHeartbeat.plus(config.nodeHeartbeatGrace()).isBefore(now);
        return node.liveness == NodeLiveness.LOST
                ? NodeState.LOST
                : ready ? NodeState.READY : NodeState.NOT_READY;
    }

    static List<FieldError> validate(NodeRegistration registration) {
        List<FieldError> errors = new ArrayList<>();
        if (registration == null) {
            errors.add(new FieldError("", "a JSON object is required"));
            return errors;
        }
        Resources allocatable = registration.allocatable();
        if (allocatable == null) {
            errors.add(new FieldError("allocatable", "is required"));
        } else {
            if (allocatable.cpuMillis() < 0) {
                errors.add(new FieldError("allocatable.cpuMillis", "must not be negative"));
            }
            if (allocatable.memoryMiB() < 0) {
                errors.add(new FieldError("allocatable.memoryMiB", "must not be negative"));
            }
        }
        if (registration.isolations() == null || registration.isolations().isEmpty()) {
            errors.add(new FieldError("isolations", "must name at least one of [hardware, shared]"));
        } else if (registration.isolations().stream().anyMatch(Objects::isNull)) { // Set.of(...).contains(null) throws
            errors.add(new FieldError("isolations", "must not contain null"));
        }
        if (registration.agentVersion() != null
                && !NodeLabels.isPrintable(registration.agentVersion(), MAX_AGENT_VERSION)) {
            errors.add(new FieldError("agentVersion", "must be at most " + MAX_AGENT_VERSION
                    + " characters without control characters"));
        }
        if (registration.labels() != null) {
            NodeLabels.validate("labels", registration.labels(), errors);
        }
        if (registration.osVersion() != null
                && !registration.osVersion().matches(OsReleaseManifest.VERSION_PATTERN)) {
            errors.add(new FieldError("osVersion", "must be 1-128 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit"));
        }
        if (registration.bootSlot() != null && !NodeRegistration.SLOT_A.equals(registration.bootSlot())
                && !NodeRegistration.SLOT_B.equals(registration.bootSlot())) {
            errors.add(new FieldError("bootSlot", "must be a or b"));
        }
        return errors;
    }

}
