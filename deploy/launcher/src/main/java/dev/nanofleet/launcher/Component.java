package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.ManagedProcess;
import java.time.Duration;

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

    /**
     * Starts {@code process} detached in the component's data directory with its log under {@code logs/}, waits until
     * {@link #ready()}, and returns its PID; stops it again when it does not become ready in time.
     */
    default long startDetached(Layout layout, ManagedProcess.Builder process, Duration deadline) {
        ManagedProcess started = process.directory(layout.data(name())).log(layout.log(name())).appendLog(true)
                .detached(true).start();
        try {
            started.await(deadline, name() + " ready", this::ready);
        } catch (RuntimeException e) {
            started.stop();
            throw e;
        }
        return started.pid();
    }

    /**
     * Processes besides the recorded one that belong to the component and outlive its recorded process (PostgreSQL's
     * postmaster, which {@code pg_ctl} starts in a session of its own): what {@link Platform#kill} kills with it, each
     * with its descendants. None by default.
     */
    default java.util.List<Long> detachedPids(Layout layout) {
        return java.util.List.of();
    }

    /** Clean-up after its process stopped (e.g. what it left running on purpose); idempotent. */
    default void afterStop(Layout layout) {
    }
}
