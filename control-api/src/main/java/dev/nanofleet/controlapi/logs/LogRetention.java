package dev.nanofleet.controlapi.logs;

import java.time.Duration;
import java.time.Instant;

/**
 * Whose output is kept after an instance has ended: while its deployment exists and then for {@code retention}, and
 * only for the newest {@code keptPerDeployment} ended instances of each deployment (a crash-looping deployment scaled
 * up and down must not fill its nodes' disks). Pure; {@link EndedInstances} applies it to the database.
 */
public record LogRetention(Duration retention, int keptPerDeployment) {

    /**
     * @param deploymentDeletedAt when the instance's deployment was deleted, or null while it exists
     * @param newerEndedSiblings how many ended instances of the same deployment ended after this one
     */
    public boolean keeps(Instant deploymentDeletedAt, int newerEndedSiblings, Instant now) {
        return newerEndedSiblings < keptPerDeployment
                && (deploymentDeletedAt == null || now.isBefore(deploymentDeletedAt.plus(retention)));
    }

    /** Why an ended instance's output is no longer kept, for the problem a reader gets. */
    public String whyDeleted(Instant deploymentDeletedAt, int newerEndedSiblings, Instant now) {
        if (newerEndedSiblings >= keptPerDeployment) {
            return "only the newest " + keptPerDeployment + " ended instances of a deployment keep their output";
        }
        return "its deployment was deleted at " + deploymentDeletedAt + " and output is kept for " + retention
                + " after that";
    }
}
