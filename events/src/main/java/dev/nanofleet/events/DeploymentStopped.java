package dev.nanofleet.events;

import java.util.UUID;

/**
 * A tenant stopped a deployment: every replica stops and frees its capacity; the spec, revisions and logs stay. The
 * scheduler learns which replicas to free from the {@link DeploymentScaled} committed with it.
 */
public record DeploymentStopped(UUID deploymentId, String tenant, int revision) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
