package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.scheduler.core.NodeStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A node row, for reads (the operators' node list, tests). The scheduler writes node rows through {@link FleetStore},
 * guarded by {@code version}.
 */
@Entity
@Table(name = "nodes")
@DynamicUpdate
class NodeEntity {

    @Id
    @Column(name = "name")
    String name;

    @Column(name = "allocatable_cpu_millis", nullable = false)
    int allocatableCpuMillis;

    @Column(name = "allocatable_memory_mib", nullable = false)
    int allocatableMemoryMiB;

    @Convert(converter = IsolationsConverter.class)
    @Column(name = "isolations", nullable = false)
    Set<Isolation> isolations;

    @Convert(converter = LabelsConverter.class)
    @Column(name = "labels", nullable = false)
    Map<String, String> labels;

    @Column(name = "used_cpu_millis", nullable = false)
    int usedCpuMillis;

    @Column(name = "used_memory_mib", nullable = false)
    int usedMemoryMiB;

    @Column(name = "kernel_owner")
    String kernelOwner;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    NodeStatus status;

    @Column(name = "registered_at", nullable = false)
    Instant registeredAt;

    @Column(name = "last_heartbeat", nullable = false)
    Instant lastHeartbeat;

    @Version
    @Column(name = "version", nullable = false)
    long version;

    Resources allocatable() {
        return new Resources(allocatableCpuMillis, allocatableMemoryMiB);
    }

    Resources used() {
        return new Resources(usedCpuMillis, usedMemoryMiB);
    }
}
