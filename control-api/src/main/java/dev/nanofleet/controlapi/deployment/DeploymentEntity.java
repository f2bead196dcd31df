package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.controlapi.rollout.RolloutPolicy;
import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.RolloutState;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.PublishedPort;
import dev.nanofleet.nodeapi.RestartPolicy;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.annotations.BatchSize;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant's deployment as stored. Never leaves the service: resources answer with {@link DeploymentView}. */
@Entity
@Table(name = "deployment")
public class DeploymentEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Enumerated(EnumType.STRING)
    @Column(name = "tenant_trust", nullable = false)
    public TenantTrust tenantTrust;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String image;

    public int replicas;

    @Column(name = "cpu_millis")
    public int cpuMillis;

    @Column(name = "memory_mib")
    public int memoryMiB;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Isolation isolation;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> command;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> env;

    @Enumerated(EnumType.STRING)
    @Column(name = "restart_mode", nullable = false)
    public RestartPolicy.Mode restartMode = RestartPolicy.Mode.NEVER;

    @Column(name = "restart_max_retries", nullable = false)
    public int restartMaxRetries;

    /** Container ports published on the node, in the order the tenant listed them. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<Integer> ports = new ArrayList<>();

    /**
     * The ports of {@link #ports} the edge forwards as plain TCP (each from an edge port of its own); the others are
     * HTTP. Part of the revision.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tcp_ports", nullable = false)
    public List<Integer> tcpPorts = new ArrayList<>();

    /** The edge ports its tcp ports hold now; none once it is deleted. Not part of a revision: kept across them. */
    @OneToMany(mappedBy = "deployment", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("containerPort")
    @BatchSize(size = 100)
    public List<EdgePortEntity> edgePorts = new ArrayList<>();

    /** The login for a private image's registry; the password sealed by SecretBox for this deployment's id. */
    @Column(name = "registry_username")
    public String registryUsername;

    @Column(name = "registry_password_sealed")
    public String registryPasswordSealed;

    /**
     * Secret environment variables: name -> value sealed by SecretBox for {@link #secretContext(String)}. Opened only
     * into the assignment of a node that runs a replica; the API shows the names.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "secrets_sealed", nullable = false)
    public Map<String, String> secretsSealed = new TreeMap<>();

    /** How its nodes check that a replica serves; null for none. Part of the revision. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "health_check")
    public HealthCheck healthCheck;

    /** Where its replicas may connect beyond their node; null for the default (allow-all). Part of the revision. */
    @JdbcTypeCode(SqlTypes.JSON)
    public EgressPolicy egress;

    /** The revision the deployment runs or rolls out now: its spec is the one above. */
    public int revision = 1;

    /** How revisions roll out; null for the defaults. Not part of a revision. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "rollout_policy")
    public RolloutPolicy rolloutPolicy;

    /** Set while the tenant has it stopped: no replica desired running, nothing billed for compute. */
    @Column(name = "stopped_at")
    public Instant stoppedAt;

    /** The rollout of {@link #revision}; null state for none (a deployment stopped before it completed). */
    @Enumerated(EnumType.STRING)
    @Column(name = "rollout_state")
    public RolloutState rolloutState;

    @Column(name = "rollout_reason")
    public String rolloutReason;

    @Column(name = "rollout_started_at")
    public Instant rolloutStartedAt;

    @Column(name = "rollout_progressed_at")
    public Instant rolloutProgressedAt;

    /** Replicas of {@link #revision} ready when the rollout was last looked at: more of them is progress. */
    @Column(name = "rollout_ready")
    public int rolloutReady;

    /** The last revision whose rollout completed: where an automatic rollback returns. */
    @Column(name = "last_complete_revision")
    public Integer lastCompleteRevision;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Version
    public long version;

    @OneToMany(mappedBy = "deployment", cascade = CascadeType.PERSIST)
    @OrderBy("ordinal")
    public List<InstanceEntity> instances = new ArrayList<>();

    /** What a secret's seal is bound to: this deployment and the variable's name. */
    public String secretContext(String name) {
        return id + "/secrets/" + name;
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public boolean stopped() {
        return stoppedAt != null;
    }

    /** After the highest ordinal it ever had: ordinals are never reused, so a replaced replica keeps its history. */
    int nextOrdinal() {
        return instances.stream().mapToInt(InstanceEntity::ordinal).max().orElse(-1) + 1;
    }

    /** A new replica of the current revision, waiting for the scheduler, under the next ordinal; the caller persists it. */
    InstanceEntity addPending(Instant now) {
        InstanceEntity instance = InstanceEntity.pending(this, nextOrdinal(), now);
        instances.add(instance);
        return instance;
    }

    /**
     * What tells the scheduler which replicas to place (at the current revision's resources and isolation) and which
     * to free.
     */
    DeploymentScaled scaled(List<DeploymentCreated.Replica> added, List<UUID> removed) {
        return new DeploymentScaled(id, tenant, tenantTrust, new Resources(cpuMillis, memoryMiB), isolation, replicas,
                added, removed);
    }

    public RolloutPolicy rolloutPolicy() {
        return rolloutPolicy == null ? RolloutPolicy.DEFAULT : rolloutPolicy;
    }

    public RestartPolicy restartPolicy() {
        return new RestartPolicy(restartMode, restartMaxRetries);
    }

    /** How the edge reaches {@code containerPort}. */
    public PortProtocol protocol(int containerPort) {
        return tcpPorts.contains(containerPort) ? PortProtocol.TCP : PortProtocol.HTTP;
    }

    /** The edge port {@code containerPort} holds; empty for an http port (or none left when it was set). */
    public java.util.Optional<Integer> edgePort(int containerPort) {
        return edgePorts.stream().filter(e -> e.containerPort == containerPort).map(e -> e.edgePort).findFirst();
    }

    /** Sets the ports from a request: their order, and which are tcp. */
    void ports(List<CreateDeploymentRequest.PortRequest> requested) {
        ports = new ArrayList<>(requested.stream().map(CreateDeploymentRequest.PortRequest::containerPort).toList());
        tcpPorts = new ArrayList<>(requested.stream().filter(p -> p.protocolOrDefault() == PortProtocol.TCP)
                .map(CreateDeploymentRequest.PortRequest::containerPort).toList());
    }

    public List<PublishedPort> publishedPorts() {
        return ports.stream().map(PublishedPort::new).toList();
    }
}
