package dev.nanofleet.node.health;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.node.core.HealthChecks.Verdict;
import dev.nanofleet.nodeapi.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The health of one run of one instance, from the results of its checks, as {@link HealthCheck} defines it (Docker's
 * HEALTHCHECK semantics):
 *
 * <ul>
 * <li>a run starts {@link InstanceHealth#STARTING}; the first pass makes it {@link InstanceHealth#HEALTHY}, and a
 * pass always resets the failures counted;</li>
 * <li>a failure within {@code startPeriodSeconds} of the start, before any pass, does not count (the application may
 * still be starting); once a check has passed the start period is over, as in Docker;</li>
 * <li>{@code failureThreshold} counted failures in a row make it {@link InstanceHealth#UNHEALTHY} and ask for its
 * process to be ended; every further failure asks again (in case the end failed), until the run is dropped.</li>
 * </ul>
 *
 * A restart is a new run and gets a new tracker. Pure: time comes in with each result. Not thread-safe: one check of a
 * run runs at a time.
 */
public final class HealthTracker {

    private final UUID instanceId;
    private final long run;
    private final HealthCheck check;
    private final Instant startPeriodEnds;
    private InstanceHealth health = InstanceHealth.STARTING;
    private String reason;
    private boolean passedOnce;
    private int failuresInARow;

    public HealthTracker(UUID instanceId, long run, HealthCheck check, Instant startedAt) {
        this.instanceId = instanceId;
        this.run = run;
        this.check = check;
        this.startPeriodEnds = startedAt.plus(Duration.ofSeconds(Math.max(0, check.startPeriodSeconds())));
    }

    /** Takes one result in; returns what to tell the reconciler, or null when nothing changed and nothing is to do. */
    public Verdict record(ProbeResult result, Instant at) {
        if (result.passed()) {
            passedOnce = true;
            failuresInARow = 0;
            return change(InstanceHealth.HEALTHY, null);
        }
        if (!passedOnce && at.isBefore(startPeriodEnds)) {
            // still starting: the failure does not count, but the reason shows why it is not healthy yet
            return change(InstanceHealth.STARTING, result.detail());
        }
        failuresInARow++;
        if (failuresInARow < threshold()) {
            return change(health, result.detail());
        }
        health = InstanceHealth.UNHEALTHY;
        reason = result.detail();
        return new Verdict(instanceId, run, health, reason, true, "health check failed " + failuresInARow
                + (failuresInARow == 1 ? " time: " : " times in a row: ") + result.detail());
    }

    public InstanceHealth health() {
        return health;
    }

    /** The last failure's words while it counts against the run, null after a pass. */
    public String reason() {
        return reason;
    }

    public int failuresInARow() {
        return failuresInARow;
    }

    public HealthCheck check() {
        return check;
    }

    public long run() {
        return run;
    }

    private int threshold() {
        return Math.max(1, check.failureThreshold());
    }

    /** A verdict only when the health moves: a failure below the threshold is not worth a report of its own. */
    private Verdict change(InstanceHealth next, String why) {
        boolean moved = next != health;
        health = next;
        reason = why;
        return moved ? new Verdict(instanceId, run, health, reason, false, null) : null;
    }
}
