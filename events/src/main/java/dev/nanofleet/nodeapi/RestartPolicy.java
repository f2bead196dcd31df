package dev.nanofleet.nodeapi;

/**
 * When a node starts an instance's process again after it ended by itself. Restarts wait a back-off that doubles from
 * one second up to a minute; after {@code maxRetries} restarts in a row the instance stays EXITED.
 *
 * @param maxRetries restarts allowed in a row for ON_FAILURE and ALWAYS (a run that lasted ten minutes resets the
 *        count); ignored for NEVER
 */
public record RestartPolicy(Mode mode, int maxRetries) {

    public static final RestartPolicy NEVER = new RestartPolicy(Mode.NEVER, 0);

    public enum Mode {
        /** The instance ends when its process ends. */
        NEVER,
        /** Restarted when it exits with a code other than 0 or is killed (OOM included). */
        ON_FAILURE,
        /** Restarted whenever it exits. */
        ALWAYS
    }

    /** Whether a process that ended with {@code exitCode} is to be started again, given restarts already made. */
    public boolean restarts(int exitCode, int restartsInARow) {
        return switch (mode) {
            case NEVER -> false;
            case ON_FAILURE -> exitCode != 0 && restartsInARow < maxRetries;
            case ALWAYS -> restartsInARow < maxRetries;
        };
    }
}
