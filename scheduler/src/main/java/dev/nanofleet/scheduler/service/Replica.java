package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.scheduler.core.PlacementRequest;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * One replica as {@link FleetState} holds it: the {@code placements} row (placed on a node, or pending with the
 * reason), with the version it was read or last written at. What identifies the replica and what it asks for never
 * change; where it runs does, and only through {@link FleetState}.
 */
final class Replica {

    /** The order pending replicas are retried in: oldest first. */
    static final Comparator<Replica> OLDEST_FIRST = Comparator.comparing((Replica r) -> r.createdAt)
            .thenComparingInt(r -> r.ordinal)
            .thenComparing(r -> r.instanceId);

    final UUID instanceId;
    final UUID deploymentId;
    final int ordinal;
    final String tenant;
    final TenantTrust trust;
    final Isolation isolation;
    final int cpuMillis;
    final int memoryMiB;
    final Instant createdAt;

    Integer chargedCpuMillis;
    Integer chargedMemoryMiB;
    String nodeName;
    String reason;
    Instant placedAt;
    /** When the node reported its process ended (EXITED, FAILED, STOPPED); null while it runs or waits to. */
    Instant endedAt;
    long version;
    boolean stored;
    /**
     * When the request for this new replica was published to Kafka, for the start timeline ({@code
     * InstancePlaced.relayedAt}); only known while its creation or scale event is applied, not stored.
     */
    Instant relayedAt;

    Replica(UUID instanceId, UUID deploymentId, int ordinal, String tenant, TenantTrust trust, Isolation isolation,
            int cpuMillis, int memoryMiB, Instant createdAt) {
        this.instanceId = instanceId;
        this.deploymentId = deploymentId;
        this.ordinal = ordinal;
        this.tenant = tenant;
        this.trust = trust;
        this.isolation = isolation;
        this.cpuMillis = cpuMillis;
        this.memoryMiB = memoryMiB;
        this.createdAt = createdAt;
    }

    PlacementRequest toRequest() {
        return new PlacementRequest(instanceId, deploymentId, tenant, trust, isolation,
                new Resources(cpuMillis, memoryMiB));
    }

    boolean placed() {
        return nodeName != null;
    }

    /** Placed and not ended: the replica holds its charge on the node. */
    boolean charging() {
        return nodeName != null && endedAt == null;
    }

    Resources charged() {
        return new Resources(chargedCpuMillis, chargedMemoryMiB);
    }
}
