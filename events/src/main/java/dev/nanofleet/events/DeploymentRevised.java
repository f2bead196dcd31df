package dev.nanofleet.events;

import java.util.List;
import java.util.UUID;

/**
 * A tenant changed what a deployment runs (or rolled it back): a new numbered, immutable revision exists and rolls out.
 *
 * @param revision the new revision's number (1 is the one the deployment was created with)
 * @param changed the names of the spec fields that differ from the revision before it, e.g. {@code image}, {@code env}
 *            (secret values never: a changed secret is named {@code secrets.NAME})
 * @param rollbackOf the revision whose spec this one copies when it is a rollback; null otherwise
 */
public record DeploymentRevised(UUID deploymentId, String tenant, int revision, List<String> changed,
        Integer rollbackOf) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
