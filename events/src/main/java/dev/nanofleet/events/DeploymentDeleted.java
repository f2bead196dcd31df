package dev.nanofleet.events;

import java.util.UUID;

/** A tenant deleted a deployment: every replica is to stop and its capacity to be freed. */
public record DeploymentDeleted(UUID deploymentId, String tenant) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
