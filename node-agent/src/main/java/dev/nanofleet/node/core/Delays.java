package dev.nanofleet.node.core;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a task once after a delay, off the caller's thread: how the {@link Reconciler} waits out a stop's drain delay
 * ({@link StopDrain}) without holding its pass or a worker. The agent's implementation is a scheduled executor; tests
 * use one driven by a movable clock.
 *
 * <p>
 * Thread-safe. Tasks run on the implementation's thread and must be short: the reconciler hands its slow work to
 * its workers.
 */
public interface Delays {

    /** Refuses every task: for a reconciler that never waits (its drain delay is zero). */
    Delays NONE = (delay, task) -> {
        throw new RejectedExecutionException("no delays here");
    };

    /**
     * Runs {@code task} once, {@code delay} from now, unless cancelled first.
     *
     * @throws RejectedExecutionException when it cannot take tasks any more (the agent is shutting down)
     */
    Pending after(Duration delay, Runnable task);

    /** A task not run yet. */
    interface Pending {
        /** The task will not run, unless it has begun already. Idempotent. */
        void cancel();
    }
}
