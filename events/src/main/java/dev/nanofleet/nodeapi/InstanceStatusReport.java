package dev.nanofleet.nodeapi;

import dev.nanofleet.events.InstanceState;

/**
 * A node's report of one instance's state.
 *
 * @param reason words for a person, required for FAILED; may be null otherwise
 * @param exitCode set once the process ended
 */
public record InstanceStatusReport(InstanceState state, String reason, Integer exitCode) {
}
