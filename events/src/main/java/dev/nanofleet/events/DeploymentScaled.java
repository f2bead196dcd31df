package dev.nanofleet.events;

import java.util.List;
import java.util.UUID;

/**
 * A tenant changed a deployment's replica count. Carries what the scheduler needs to place the added replicas; the
 * removed ones (control-api picks them: highest ordinal first) are to stop and free their capacity.
 *
 * @param replicas the new desired count
 * @param added replicas control-api stored for the increase, empty when scaling down
 * @param removed instance ids of the replicas to stop, empty when scaling up
 */
public record DeploymentScaled(UUID deploymentId, String tenant, TenantTrust tenantTrust, Resources resources,
        Isolation isolation, int replicas, List<DeploymentCreated.Replica> added, List<UUID> removed)
        implements
            EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
