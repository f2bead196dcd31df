package dev.nanofleet.controlapi.node;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeLiveness;
import dev.nanofleet.events.NodeScheduling;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A node as it last registered, and when it last said it was alive. {@code @DynamicUpdate}: a registration or an
 * operator's change writes only the columns it changed, so neither undoes the other; heartbeats and liveness are
 * written by {@link NodeLivenessStore}'s targeted UPDATEs only.
 */
@Entity
@DynamicUpdate
@Table(name = "node")
public class NodeEntity {

    @Id
    public String name;

    @Column(name = "cpu_millis")
    public int cpuMillis;

    @Column(name = "memory_mib")
    public int memoryMiB;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Set<Isolation> isolations;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> labels;

    @Column(name = "agent_version")
    public String agentVersion;

    /** The agent's own base URL (instance logs), as it last registered; null if it serves none. */
    @Column(name = "agent_url")
    public String agentUrl;

    /** The node OS image version the node booted; null when it does not run the node OS. */
    @Column(name = "os_version")
    public String osVersion;

    /** The root slot it booted ({@code a} or {@code b}); null when unknown. */
    @Column(name = "boot_slot")
    public String bootSlot;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "last_heartbeat", nullable = false)
    public Instant lastHeartbeat;

    /** Set by operators (cordon, drain, uncordon); registrations leave it alone. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public NodeScheduling scheduling = NodeScheduling.SCHEDULABLE;

    /** Decided by {@link NodeLivenessMonitor}; written only by {@link NodeLivenessStore}. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, insertable = false, updatable = false)
    public NodeLiveness liveness = NodeLiveness.READY;

    @Column(name = "liveness_changed_at", insertable = false, updatable = false)
    public Instant livenessChangedAt;

    /** When an operator removed the node (its credential revoked, LOST); null while it is part of the fleet. */
    @Column(name = "removed_at")
    public Instant removedAt;
}
