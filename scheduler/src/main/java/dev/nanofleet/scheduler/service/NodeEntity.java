package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.scheduler.core.NodeStatus;
import dev.nanofleet.scheduler.core.NodeView;
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
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A node as the scheduler stores it. Dynamic updates, so a placement writes only capacity columns and a heartbeat (a
 * bulk update that does not bump the version) is never overwritten with a stale value.
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

    NodeView toView(Map<UUID, Integer> replicasByDeployment) {
        return new NodeView(name, allocatable(), used(), isolations, labels, status, kernelOwner,
                replicasByDeployment);
    }

    /** Takes over the capacity columns of a view the core produced. */
    void apply(NodeView view) {
        usedCpuMillis = view.used().cpuMillis();
        usedMemoryMiB = view.used().memoryMiB();
        kernelOwner = view.kernelOwner();
    }
}
