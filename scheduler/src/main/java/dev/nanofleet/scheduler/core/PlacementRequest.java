package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One replica to place.
 *
 * @param resources what the container asks for; the VM overhead of hardware isolation is added by the
 *        {@link SchedulerPolicy}, not here
 * @param nodeSelector labels a node must carry with exactly these values ({@code zone=a}); empty for any node
 */
public record PlacementRequest(UUID instanceId, UUID deploymentId, String tenant, TenantTrust trust,
        Isolation isolation, Resources resources, Map<String, String> nodeSelector) {

    public PlacementRequest {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(resources, "resources");
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    }

    /** A request that any node may take. */
    public PlacementRequest(UUID instanceId, UUID deploymentId, String tenant, TenantTrust trust, Isolation isolation,
            Resources resources) {
        this(instanceId, deploymentId, tenant, trust, isolation, resources, Map.of());
    }
}
