package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls a deployment until {@link WaitDecision} says done or failed, or the time-out passes, telling the user on stderr
 * what it waits for and where each replica is (a line when something changed, and at least every 10 s).
 */
final class DeploymentWaiter {

    private static final Duration QUIET = Duration.ofSeconds(10);

    private final ApiClient api;
    private final Clock clock;
    private final CliContext.Sleeper sleeper;
    private final PrintWriter err;

    DeploymentWaiter(ApiClient api, Clock clock, CliContext.Sleeper sleeper, PrintWriter err) {
        this.api = api;
        this.clock = clock;
        this.sleeper = sleeper;
        this.err = err;
    }

    /** Returns the last snapshot once every replica runs; throws {@link CliException} with exit code 4 otherwise. */
    JsonNode await(String id, String name, Duration timeout, Duration interval) {
        return await(id, name, new WaitDecision.Running(null), timeout, interval);
    }

    /**
     * Returns the last snapshot once {@code goal} is reached (a revision rolled out, or every replica stopped); throws
     * {@link CliException} with exit code 4 when it fails or the time-out passes.
     */
    JsonNode await(String id, String name, WaitDecision.Goal goal, Duration timeout, Duration interval) {
        String what = switch (goal) {
            case WaitDecision.Running r when r.revision() != null && r.revision() > 1 -> "revision " + r.revision()
                    + " of " + name + " to roll out";
            case WaitDecision.Running r -> "every replica of " + name + " to be running";
            case WaitDecision.Stopped s -> "every replica of " + name + " to stop";
        };
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        err.printf("waiting up to %s for %s%n", human(timeout), what);
        err.flush();
        String last = null;
        Instant lastPrinted = start;
        while (true) {
            JsonNode deployment = api.get("/v1/deployments/" + id);
            WaitDecision decision = WaitDecision.of(deployment, goal);
            if (decision instanceof WaitDecision.Superseded && goal instanceof WaitDecision.Running r
                    && r.revision() != null) {
                // the words (an automatic rollback, or someone else's change) are in the revisions
                decision = WaitDecision.superseded(deployment, r.revision(), api.get("/v1/deployments/" + id
                        + "/revisions"));
            }
            Instant now = clock.instant();
            long elapsed = Duration.between(start, now).toSeconds();
            switch (decision) {
                case WaitDecision.Done done -> {
                    err.printf("[%ds] %s%n", elapsed, done.summary());
                    err.flush();
                    return deployment;
                }
                case WaitDecision.Failed failed -> throw new CliException(ExitCodes.WAIT_FAILED,
                        "deployment " + name + " failed after " + elapsed + "s: " + failed.reason());
                case WaitDecision.Superseded superseded -> throw new CliException(ExitCodes.WAIT_FAILED,
                        "deployment " + name + " moved on to revision " + superseded.revision() + " after " + elapsed
                                + "s");
                case WaitDecision.Continue going -> {
                    if (!going.progress().equals(last) || !now.isBefore(lastPrinted.plus(QUIET))) {
                        err.printf("[%ds] %s%n", elapsed, going.progress());
                        err.flush();
                        last = going.progress();
                        lastPrinted = now;
                    }
                    if (!now.isBefore(deadline)) {
                        throw new CliException(ExitCodes.WAIT_FAILED, "timed out after " + human(timeout)
                                + " waiting for " + name + ": " + going.progress());
                    }
                }
            }
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.WAIT_FAILED, "interrupted while waiting for " + name, e);
            }
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + "m" : s + "s";
    }
}
