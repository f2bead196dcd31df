package dev.nanofleet.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant created a deployment. Carries everything the scheduler needs to place its replicas, including the ids
 * control-api gave them, so placements can be matched to stored instances.
 *
 * @param isolation already resolved from "auto" by control-api
 */
public record DeploymentCreated(UUID deploymentId, String tenant, TenantTrust tenantTrust, String name, String image,
        Resources resources, Isolation isolation, List<String> command, Map<String, String> env,
        List<Replica> replicas) implements EventPayload {

    /** One desired replica: the instance id control-api stored for it, and its ordinal. */
    public record Replica(UUID instanceId, int ordinal) {
    }

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
