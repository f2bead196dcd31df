package dev.nanofleet.node.core;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.HealthCheck;
import java.time.Instant;
import java.util.UUID;

/**
 * Runs the health checks of running instances (the port the {@link Reconciler} drives; the agent's implementation is
 * {@code dev.nanofleet.node.health.HealthMonitor}). The reconciler says which run of which instance to check and hears
 * back through the {@link Listener} when the health of a run changes, or when the run failed its check too often and
 * its process is to be ended.
 *
 * <p>
 * Thread-safe. {@link #watch} and {@link #unwatch} never block on a check: checks run off the caller's thread.
 */
public interface HealthChecks {

    /** No checks: nothing is checked and no verdict ever comes (an agent or a test without health checks). */
    HealthChecks NONE = new HealthChecks() {
        @Override
        public void listen(Listener listener) {
        }

        @Override
        public void watch(Watch watch) {
        }

        @Override
        public void unwatch(UUID instanceId) {
        }
    };

    /** Sets who hears the verdicts; called once, before the first {@link #watch}. */
    void listen(Listener listener);

    /**
     * Checks this run of the instance from now on. Idempotent: watching the run already watched (same run number and
     * check) changes nothing; another run (a restart) or another check starts over (STARTING, no failures counted).
     */
    void watch(Watch watch);

    /** Stops checking the instance (it stopped, ended or is forgotten). A check in flight is discarded. */
    void unwatch(UUID instanceId);

    /**
     * One run of one instance to check.
     *
     * @param run tells runs of one instance apart: a restart is a new run, whose checks start over
     * @param address the instance's address on the node (its {@code InstanceNetwork} address); null when it has none
     * @param startedAt when this run started, from which the start period counts
     */
    record Watch(UUID instanceId, long run, Isolation isolation, HealthCheck check, String address,
            Instant startedAt) {
    }

    /**
     * What a check said about a run.
     *
     * @param reason the failed check in words ({@code HTTP 500 from /healthz}); null when the last check passed
     * @param endProcess the check failed {@code failureThreshold} times in a row: end the process (TERM, grace, KILL)
     *        so its restart policy decides; repeated after every further failure until the run ends
     * @param endReason the words for the end, e.g. {@code health check failed 3 times in a row: HTTP 500 from /healthz};
     *        null unless {@code endProcess}
     */
    record Verdict(UUID instanceId, long run, InstanceHealth health, String reason, boolean endProcess,
            String endReason) {
    }

    /** Hears verdicts. Called on the thread that ran the check; it should not block for long. */
    @FunctionalInterface
    interface Listener {
        void verdict(Verdict verdict);
    }
}
