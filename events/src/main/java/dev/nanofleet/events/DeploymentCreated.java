package dev.nanofleet.events;

import java.util.List;
import java.util.UUID;

/**
 * A tenant created a deployment. Carries what the scheduler needs to place its replicas, including the ids control-api
 * gave them, so placements can be matched to stored instances.
 *
 * <p>
 * Schema version 2 dropped version 1's {@code command} and {@code env}: no consumer reads them, and env values (often
 * secrets) would stay on the topic for its whole retention. They stay in control-api's database and reach only the node
 * that runs a replica, in its assignment. A version 1 event still decodes (its extra fields are ignored).
 *
 * @param isolation already resolved from "auto" by control-api
 */
public record DeploymentCreated(UUID deploymentId, String tenant, TenantTrust tenantTrust, String name, String image,
        Resources resources, Isolation isolation, List<Replica> replicas) implements EventPayload {

    /** One desired replica: the instance id control-api stored for it, and its ordinal. */
    public record Replica(UUID instanceId, int ordinal) {
    }

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
