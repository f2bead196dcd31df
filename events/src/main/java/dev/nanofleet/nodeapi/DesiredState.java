package dev.nanofleet.nodeapi;

/** What the control plane wants of an assigned instance. */
public enum DesiredState {
    RUNNING,
    STOPPED,
    /**
     * It has ended and stays ended: the node runs nothing for it but keeps its files, so its output stays readable.
     * Once control-api stops listing it (its deployment is gone past the log retention, or newer ended replicas took its
     * place), the node removes them.
     */
    ENDED
}
