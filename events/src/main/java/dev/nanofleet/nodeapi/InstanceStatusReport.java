package dev.nanofleet.nodeapi;

import dev.nanofleet.events.InstanceState;

/**
 * A node's report of one instance's state.
 *
 * @param reason words for a person, required for FAILED; may be null otherwise
 * @param exitCode set once the process ended (for RESTARTING: how it last ended)
 * @param restarts how many times the node started the process again under its restart policy
 * @param network where the instance is reachable once it runs; null before, or when it has no network
 */
public record InstanceStatusReport(InstanceState state, String reason, Integer exitCode, int restarts,
        InstanceNetwork network) {

    public InstanceStatusReport(InstanceState state, String reason, Integer exitCode) {
        this(state, reason, exitCode, 0, null);
    }
}
