package dev.nanofleet.scheduler.core;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import java.util.Objects;
import java.util.UUID;

/**
 * One replica to place.
 *
 * @param resources what the container asks for; the VM overhead of hardware isolation is added by the
 *        {@link SchedulerPolicy}, not here
 */
public record PlacementRequest(UUID instanceId, UUID deploymentId, String tenant, TenantTrust trust,
        Isolation isolation, Resources resources) {

    public PlacementRequest {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(resources, "resources");
    }
}
