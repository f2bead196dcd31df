package dev.nanofleet.events;

import java.util.UUID;

/**
 * A tenant started a stopped deployment: its replicas of the same revision are placed anew (the scheduler learns them
 * from the {@link DeploymentScaled} committed with it).
 */
public record DeploymentStarted(UUID deploymentId, String tenant, int revision) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
