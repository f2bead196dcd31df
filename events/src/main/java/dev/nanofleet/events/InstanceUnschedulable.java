package dev.nanofleet.events;

import java.util.UUID;

/**
 * No node can take this replica now. {@code reason} is written for the tenant, e.g.
 * {@code "0/3 nodes available: 2 insufficient memory, 1 cordoned"}.
 */
public record InstanceUnschedulable(UUID instanceId, UUID deploymentId, String reason) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
