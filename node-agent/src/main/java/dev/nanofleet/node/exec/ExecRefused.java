package dev.nanofleet.node.exec;

/** Why a session cannot be opened, before anything was started. */
public final class ExecRefused extends RuntimeException {

    public enum Why {
        /** This node has no such instance. */
        NOT_FOUND,
        /** The instance is not running (not started yet, or ended). */
        NOT_RUNNING,
        /** This node cannot exec into it (no exec helper, a VM without the guest agent). */
        UNAVAILABLE
    }

    private final Why why;

    public ExecRefused(Why why, String message) {
        super(message);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
