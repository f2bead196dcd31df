package dev.nanofleet.events;

import java.util.UUID;

/**
 * A rollout started, advanced or finished.
 *
 * @param revision the revision being rolled out
 * @param desired the deployment's replica count
 * @param updated replicas of the revision that are desired running
 * @param ready of those, the ones healthy (or running for minReadySeconds without a health check)
 * @param reason why it is in this state, in words (e.g. what made it fail); may be null
 */
public record RolloutProgressed(UUID deploymentId, String tenant, int revision, RolloutState state, int desired,
        int updated, int ready, String reason) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
