package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.node.NodeStatusRules;
import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.StartTimeline;
import dev.nanofleet.nodeapi.UsageReport;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One replica of a deployment: where it was placed and what its node last reported. The aggregate that owns an
 * instance's life: services call its transitions ({@link #place}, {@link #move}, {@link #markUnschedulable},
 * {@link #applyReport}, {@link #recordUsage}, {@link #requestStop}) and never set its fields, so every rule about what
 * a transition clears lives here once. Not thread-safe (a JPA entity of one transaction).
 */
@Entity
@Table(name = "instance")
public class InstanceEntity {

    private static final String ENDED_STATES_JPQL = java.util.Arrays.stream(InstanceState.values())
            .filter(InstanceState::isTerminal).map(s -> InstanceState.class.getName() + "." + s.name())
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    /**
     * The ended states ({@link InstanceState#isTerminal()}) as a JPQL list of enum literals, for the queries every node
     * request runs: with a collection parameter instead, Hibernate translates the query to SQL again on each
     * execution, which cost most of an assignment fetch.
     */
    public static String endedStatesJpql() {
        return ENDED_STATES_JPQL;
    }

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "deployment_id")
    private DeploymentEntity deployment;

    private int ordinal;

    @Column(name = "node_name")
    private String nodeName;

    @Enumerated(EnumType.STRING)
    private Isolation isolation;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private InstanceState state;

    @Enumerated(EnumType.STRING)
    @Column(name = "desired_state", nullable = false)
    private DesiredState desiredState;

    private String reason;

    @Column(name = "exit_code")
    private Integer exitCode;

    /** How many times its node started it again under the restart policy. */
    private int restarts;

    /** Where it is reachable on its node, as the node last reported; null until it runs. */
    @JdbcTypeCode(SqlTypes.JSON)
    private InstanceNetwork network;

    /** The node's last usage sample: cumulative CPU time and memory in use at {@link #usageSampledAt}. */
    @Column(name = "usage_sampled_at")
    private Instant usageSampledAt;

    @Column(name = "cpu_nanos")
    private Long cpuNanos;

    @Column(name = "memory_bytes")
    private Long memoryBytes;

    /** The sample before the last one, so the CPU used between the two can be told ({@link #cpuMillis()}). */
    @Column(name = "previous_usage_sampled_at")
    private Instant previousUsageSampledAt;

    @Column(name = "previous_cpu_nanos")
    private Long previousCpuNanos;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /**
     * The replica this one takes the place of (a trust change moving a shared-kernel replica to hardware): that one
     * stops once this one runs, so the deployment never has fewer replicas running.
     */
    private UUID replaces;

    /** The revision of its deployment it runs: its node gets that revision's spec. */
    private int revision = 1;

    /** What its health check says, as its node last reported; null without a check or while it does not run. */
    @Enumerated(EnumType.STRING)
    private InstanceHealth health;

    @Column(name = "health_reason")
    private String healthReason;

    /** Since when it runs without a break, as far as its node's reports tell: a replica without a check is ready
     * once it ran minReadySeconds. */
    @Column(name = "running_since")
    private Instant runningSince;

    /**
     * Its start timeline (migration V1_13): asked for, the request published, placed, then the node's own times
     * (delivered, image ready, process started) and when control-api stored RUNNING. Null until known, and for
     * instances older than the columns.
     */
    @Column(name = "accepted_at")
    private Instant acceptedAt;

    @Column(name = "relayed_at")
    private Instant relayedAt;

    @Column(name = "placed_at")
    private Instant placedAt;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    @Column(name = "pulled_at")
    private Instant pulledAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "reported_at")
    private Instant reportedAt;

    @Version
    private long version;

    /** For JPA. */
    protected InstanceEntity() {
    }

    /** A new replica of the deployment under the ordinal, waiting for the scheduler. */
    static InstanceEntity pending(DeploymentEntity deployment, int ordinal, Instant now) {
        InstanceEntity instance = new InstanceEntity();
        instance.id = UUID.randomUUID();
        instance.deployment = deployment;
        instance.revision = deployment.revision;
        instance.ordinal = ordinal;
        instance.state = InstanceState.PENDING;
        instance.desiredState = DesiredState.RUNNING;
        instance.updatedAt = now;
        instance.acceptedAt = now;
        return instance;
    }

    /** A new replica that takes the place of {@code replaced} and stops it once it runs itself. */
    static InstanceEntity replacement(InstanceEntity replaced, int ordinal, Instant now) {
        InstanceEntity instance = pending(replaced.deployment, ordinal, now);
        instance.replaces = replaced.id;
        return instance;
    }

    /** The scheduler placed a replica that is on no node ({@code PENDING} or {@code UNSCHEDULABLE}). */
    public void place(String node, Isolation placedIsolation, Instant now) {
        if (nodeName != null) {
            throw new IllegalStateException("instance " + id + " is on node " + nodeName + "; move it instead");
        }
        assign(node, placedIsolation, now);
    }

    /**
     * The scheduler re-placed the replica on another node (its node was lost or drained, or it ended and the scheduler
     * wants it running). Everything the old node reported about it (address, ports, usage, restarts, how it ended) is
     * the old node's and goes: the new node reports its own, and until then the tenant sees none rather than stale
     * values that point at the old node.
     */
    public void move(String node, Isolation placedIsolation, Instant now) {
        if (nodeName == null || nodeName.equals(node)) {
            throw new IllegalStateException("instance " + id + " is on node " + nodeName + "; cannot move to " + node);
        }
        assign(node, placedIsolation, now);
    }

    private void assign(String node, Isolation placedIsolation, Instant now) {
        nodeName = Objects.requireNonNull(node, "node");
        isolation = Objects.requireNonNull(placedIsolation, "isolation");
        state = InstanceState.SCHEDULED;
        forgetWhatTheNodeReported();
        relayedAt = null;
        placedAt = now;
        updatedAt = now;
    }

    /**
     * When the scheduler's decision that placed it was made ({@code placedAt}, the {@code instance.placed} event's
     * time) and when the request it answered was published ({@code relayedAt}, null when it answered none: a replica
     * that waited, or a move). Called right after {@link #place} or {@link #move}.
     */
    public void timePlacement(Instant relayed, Instant placed) {
        relayedAt = relayed;
        if (placed != null) {
            placedAt = placed;
        }
    }

    /**
     * No node can take the replica now. It leaves any node it was on (so deleting it stops it at once) and forgets what
     * that node reported; the isolation is the placement's, like the node.
     */
    public void markUnschedulable(String why, Instant now) {
        nodeName = null;
        isolation = null;
        state = InstanceState.UNSCHEDULABLE;
        forgetWhatTheNodeReported();
        relayedAt = null;
        placedAt = null;
        reason = why;
        updatedAt = now;
    }

    private void forgetWhatTheNodeReported() {
        health = null;
        healthReason = null;
        runningSince = null;
        reason = null;
        exitCode = null;
        restarts = 0;
        network = null;
        usageSampledAt = null;
        cpuNanos = null;
        memoryBytes = null;
        previousUsageSampledAt = null;
        previousCpuNanos = null;
        deliveredAt = null;
        pulledAt = null;
        startedAt = null;
        reportedAt = null;
    }

    /**
     * Takes a node's valid report (see {@link NodeStatusRules#validate(InstanceStatusReport)}). A terminal instance
     * stays terminal and a repeated report changes nothing. A report without a network keeps the known one, unless the
     * instance ended (it is reachable no more).
     *
     * @return true when the report changed the instance
     */
    public boolean applyReport(InstanceStatusReport report, Instant now) {
        boolean healthChanged = !Objects.equals(health, health(report))
                || !Objects.equals(healthReason, healthReason(report));
        if (state.isTerminal()
                || !NodeStatusRules.changes(state, reason, exitCode, restarts, network, report) && !healthChanged) {
            return false;
        }
        if (report.state() == InstanceState.RUNNING
                && (state != InstanceState.RUNNING || report.restarts() != restarts)) {
            runningSince = now;
        } else if (report.state() != InstanceState.RUNNING) {
            runningSince = null;
        }
        health = health(report);
        healthReason = healthReason(report);
        state = report.state();
        reason = report.reason();
        exitCode = report.exitCode();
        restarts = report.restarts();
        if (report.network() != null || report.state().isTerminal()) {
            network = report.network();
        }
        if (report.state() == InstanceState.RUNNING && reportedAt == null) {
            // the first RUNNING of this placement; a restart's RUNNING is not a start's
            reportedAt = now;
            StartTimeline nodeTimes = report.timeline();
            if (nodeTimes != null) {
                deliveredAt = nodeTimes.deliveredAt();
                pulledAt = nodeTimes.pulledAt();
                startedAt = nodeTimes.startedAt();
            }
        }
        updatedAt = now;
        return true;
    }

    /** Its start timeline as far as it is known. */
    public Timeline timeline() {
        return new Timeline(acceptedAt, relayedAt, placedAt, deliveredAt, pulledAt, startedAt, reportedAt);
    }

    /** The moments of an instance's start, each null until known (see the columns' comment above). */
    public record Timeline(Instant acceptedAt, Instant relayedAt, Instant placedAt, Instant deliveredAt,
            Instant pulledAt, Instant startedAt, Instant reportedAt) {
    }

    /** Health is only what a running replica's check says; a stale one never outlives the run it was about. */
    private static InstanceHealth health(InstanceStatusReport report) {
        return report.state() == InstanceState.RUNNING ? report.health() : null;
    }

    private static String healthReason(InstanceStatusReport report) {
        return health(report) == null ? null : report.healthReason();
    }

    /**
     * Whether a rollout may count it as serving: running and healthy, or (without a health check) running for
     * {@code minReadySeconds}.
     */
    public boolean ready(boolean hasHealthCheck, int minReadySeconds, Instant now) {
        if (state != InstanceState.RUNNING || runningSince == null) {
            return false;
        }
        return hasHealthCheck
                ? health == InstanceHealth.HEALTHY
                : !runningSince.plusSeconds(minReadySeconds).isAfter(now);
    }

    /**
     * Takes a usage sample of its node if it is newer than the stored one and the instance is live on that node.
     *
     * @return true when the sample was stored (and is to be billed)
     */
    public boolean recordUsage(String reportingNode, UsageReport.Sample sample) {
        if (!reportingNode.equals(nodeName) || state.isTerminal()
                || (usageSampledAt != null && !sample.sampledAt().isAfter(usageSampledAt))) {
            return false;
        }
        previousUsageSampledAt = usageSampledAt;
        previousCpuNanos = cpuNanos;
        usageSampledAt = sample.sampledAt();
        cpuNanos = sample.cpuNanos();
        memoryBytes = sample.memoryBytes();
        return true;
    }

    /**
     * The CPU it used between its node's last two samples, in thousandths of a core (1000: one core busy all the
     * time); null until there are two, and when the cumulative CPU time went down between them (its process or VM
     * started again, which starts the count again).
     */
    public Long cpuMillis() {
        return cpuMillis(previousUsageSampledAt, previousCpuNanos, usageSampledAt, cpuNanos);
    }

    static Long cpuMillis(Instant before, Long cpuNanosBefore, Instant after, Long cpuNanosAfter) {
        if (before == null || cpuNanosBefore == null || after == null || cpuNanosAfter == null
                || cpuNanosAfter < cpuNanosBefore || !after.isAfter(before)) {
            return null;
        }
        long intervalNanos = Duration.between(before, after).toNanos();
        // in BigInteger: CPU nanos x 1000 overflows a long past ~106 days of one core's CPU time between two samples
        return BigInteger.valueOf(cpuNanosAfter - cpuNanosBefore).multiply(BigInteger.valueOf(1000))
                .divide(BigInteger.valueOf(intervalNanos)).longValue();
    }

    /**
     * The tenant deleted the deployment or scaled it down past this replica. One never placed has no node to stop it,
     * so it is stopped at once with the reason given; a placed one is stopped by its node, which then reports it.
     */
    public void requestStop(String unplacedReason, Instant now) {
        desiredState = DesiredState.STOPPED;
        if (nodeName == null && !state.isTerminal()) {
            state = InstanceState.STOPPED;
            reason = unplacedReason;
        }
        updatedAt = now;
    }

    /** The tenant asked for it to stop, directly or by deleting its deployment. */
    public boolean stopRequested() {
        return deployment.deleted() || desiredState == DesiredState.STOPPED;
    }

    /** The replica this one replaces, or null. */
    public UUID replaces() {
        return replaces;
    }

    public UUID id() {
        return id;
    }

    public int revision() {
        return revision;
    }

    public InstanceHealth health() {
        return health;
    }

    public String healthReason() {
        return healthReason;
    }

    public DeploymentEntity deployment() {
        return deployment;
    }

    public int ordinal() {
        return ordinal;
    }

    public String nodeName() {
        return nodeName;
    }

    public Isolation isolation() {
        return isolation;
    }

    public InstanceState state() {
        return state;
    }

    public DesiredState desiredState() {
        return desiredState;
    }

    public String reason() {
        return reason;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public int restarts() {
        return restarts;
    }

    public InstanceNetwork network() {
        return network;
    }

    public Instant usageSampledAt() {
        return usageSampledAt;
    }

    public Long cpuNanos() {
        return cpuNanos;
    }

    public Long memoryBytes() {
        return memoryBytes;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
