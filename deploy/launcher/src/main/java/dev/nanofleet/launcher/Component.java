package dev.nanofleet.launcher;

/**
 * One process of the local platform. {@link #start} runs it detached (it outlives the launcher), returns once it is
 * ready, and hands back its PID, which the launcher records to stop it later. A component that does not become ready
 * stops what it started and throws.
 */
public interface Component {

    String name();

    /** Where people reach it, for status and the final summary. */
    String endpoint();

    /** Starts it, waits until it is ready (printing progress), and returns its PID. */
    long start(Layout layout) throws Exception;

    /** A cheap check that it answers now. */
    boolean ready();

    /** Clean-up after its process stopped (e.g. what it left running on purpose); idempotent. */
    default void afterStop(Layout layout) {
    }
}
