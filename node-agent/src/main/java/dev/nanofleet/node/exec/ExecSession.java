package dev.nanofleet.node.exec;

/** A running exec session, as its opener drives it. Thread-safe; calls after the session ended do nothing. */
public interface ExecSession {

    /** Bytes for the process' stdin (or its terminal); dropped when it was opened without stdin. */
    void stdin(byte[] bytes);

    /** The end of stdin: EOF for a pipe, ^D for a terminal. */
    void closeStdin();

    /** The terminal's new size; ignored without a terminal. */
    void resize(int columns, int rows);

    /** Ends the process with SIGKILL; the listener still gets its {@code exited}. */
    void kill();
}
