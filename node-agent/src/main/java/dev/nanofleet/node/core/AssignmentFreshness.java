package dev.nanofleet.node.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the next reconcile pass must fetch the assignment list or may act on the last one. While the agent watches
 * its assignments (control-api says at once when they change) a pass fetches only after a change was announced, when
 * the stream (re)connected, and at least every {@code resyncInterval} as a safety net; without a watch (not connected,
 * or a control-api that has none) every pass fetches, as polling did before.
 *
 * <p>
 * A change announced while a fetch is under way makes the next pass fetch again: a pass takes a {@link #ticket()}
 * before it fetches and hands it back with {@link #fetched}, and only changes older than the ticket count as seen.
 * Thread-safe: the watch thread announces, the loop's thread asks.
 */
public final class AssignmentFreshness {

    private final Clock clock;
    private final Duration resyncInterval;
    private long changes;
    private long seen = -1;
    private Instant fetchedAt;
    private boolean watching;

    public AssignmentFreshness(Clock clock, Duration resyncInterval) {
        this.clock = clock;
        this.resyncInterval = resyncInterval;
    }

    /** control-api announced a change (or the stream just opened: anything may have changed meanwhile). */
    public synchronized void changed() {
        changes++;
    }

    /** Whether a watch stream is open now. */
    public synchronized void watching(boolean open) {
        watching = open;
    }

    public synchronized boolean watching() {
        return watching;
    }

    /** Whether the next pass must fetch. */
    public synchronized boolean mustFetch() {
        return !watching || seen < changes || fetchedAt == null
                || !clock.instant().isBefore(fetchedAt.plus(resyncInterval));
    }

    /** Taken by a pass before it fetches. */
    public synchronized long ticket() {
        return changes;
    }

    /** The fetch of the pass that took {@code ticket} succeeded. */
    public synchronized void fetched(long ticket) {
        seen = Math.max(seen, ticket);
        fetchedAt = clock.instant();
    }
}
