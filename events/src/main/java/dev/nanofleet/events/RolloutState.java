package dev.nanofleet.events;

/** Where a deployment's rollout of a revision stands. */
public enum RolloutState {
    /** Replicas of the revision are being started and old ones stopped. */
    PROGRESSING,
    /** Every desired replica runs the revision and is ready. */
    COMPLETE,
    /** It did not progress within its deadline (or a new replica failed for good) and was left as it is. */
    FAILED,
    /** It failed and the deployment went back to its last healthy revision (a new rollout follows). */
    ROLLED_BACK,
    /** The deployment was stopped or deleted while it rolled out. */
    CANCELLED;

    public boolean isFinished() {
        return this != PROGRESSING;
    }
}
