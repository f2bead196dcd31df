package dev.nanofleet.events;

/** The life of one replica, as the control plane and the node agent see it. */
public enum InstanceState {
    /** Stored, not yet placed. */
    PENDING,
    /** No node can take it now; the reason says why. Retried when capacity appears. */
    UNSCHEDULABLE,
    /** Placed on a node; the agent has not reported yet. */
    SCHEDULED,
    PULLING,
    STARTING,
    RUNNING,
    /**
     * Its process ended and the restart policy starts it again after a back-off; the exit code says how it last ended.
     */
    RESTARTING,
    STOPPING,
    /** Stopped on request. */
    STOPPED,
    /** Its process ended by itself; the exit code says how. */
    EXITED,
    /** It could not run; the reason says why. */
    FAILED;

    public boolean isTerminal() {
        return this == STOPPED || this == EXITED || this == FAILED;
    }
}
