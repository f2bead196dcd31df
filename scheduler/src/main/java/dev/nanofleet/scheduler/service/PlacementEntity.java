package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One replica row: placed on a node, or pending with the reason no node could take it. For reads; the scheduler
 * writes placement rows through {@link FleetStore}, guarded by {@code version}.
 */
@Entity
@Table(name = "placements")
class PlacementEntity {

    @Id
    @Column(name = "instance_id")
    UUID instanceId;

    @Column(name = "deployment_id", nullable = false)
    UUID deploymentId;

    @Column(name = "ordinal", nullable = false)
    int ordinal;

    @Column(name = "tenant", nullable = false)
    String tenant;

    @Enumerated(EnumType.STRING)
    @Column(name = "trust", nullable = false)
    TenantTrust trust;

    @Enumerated(EnumType.STRING)
    @Column(name = "isolation", nullable = false)
    Isolation isolation;

    @Column(name = "cpu_millis", nullable = false)
    int cpuMillis;

    @Column(name = "memory_mib", nullable = false)
    int memoryMiB;

    @Column(name = "charged_cpu_millis")
    Integer chargedCpuMillis;

    @Column(name = "charged_memory_mib")
    Integer chargedMemoryMiB;

    @Column(name = "node_name")
    String nodeName;

    @Column(name = "reason")
    String reason;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "placed_at")
    Instant placedAt;

    /** When the node reported its process ended (EXITED, FAILED, STOPPED); null while it runs or waits to. */
    @Column(name = "ended_at")
    Instant endedAt;

    @Column(name = "version", nullable = false)
    long version;

    /** Placed and not ended: the replica holds its charge on the node. */
    boolean charging() {
        return nodeName != null && endedAt == null;
    }
}
