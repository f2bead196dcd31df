package dev.nanofleet.node.exec;

/**
 * Receives what an exec session's process writes, and its end. Called from one thread per session, in order; a call
 * may block to slow the process down (the pipe or terminal then fills up). {@link #exited} is called exactly once, last.
 */
public interface ExecListener {

    void stdout(byte[] bytes);

    /** Never called for a session with a terminal: the terminal merges stderr into stdout. */
    void stderr(byte[] bytes);

    /**
     * @param exitCode the process' exit code (128 + signal when a signal ended it), or -1 when it has none (it could
     *        not start, it was cut off: the instance ended, the node agent lost the helper)
     * @param reason why, when there is no exit code or it could not start; may be null
     */
    void exited(int exitCode, String reason);
}
