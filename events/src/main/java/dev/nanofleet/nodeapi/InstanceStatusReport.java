package dev.nanofleet.nodeapi;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;

/**
 * A node's report of one instance's state.
 *
 * @param reason words for a person, required for FAILED; may be null otherwise
 * @param exitCode set once the process ended (for RESTARTING: how it last ended)
 * @param restarts how many times the node started the process again under its restart policy
 * @param network where the instance is reachable once it runs; null before, or when it has no network
 * @param health what its health check says while it runs; null when it has no check or does not run
 * @param healthReason the last failed check in words (e.g. {@code HTTP 500 from /healthz}); null when it passed
 * @param timeline when the node received, prepared and started the instance (optional, RUNNING reports of a start
 *        only); agents older than this field send none
 */
public record InstanceStatusReport(InstanceState state, String reason, Integer exitCode, int restarts,
        InstanceNetwork network, InstanceHealth health, String healthReason, StartTimeline timeline) {

    public InstanceStatusReport(InstanceState state, String reason, Integer exitCode, int restarts,
            InstanceNetwork network, InstanceHealth health, String healthReason) {
        this(state, reason, exitCode, restarts, network, health, healthReason, null);
    }

    /** This report with the node's timeline of the start it reports. */
    public InstanceStatusReport withTimeline(StartTimeline startTimeline) {
        return new InstanceStatusReport(state, reason, exitCode, restarts, network, health, healthReason,
                startTimeline);
    }

    public InstanceStatusReport(InstanceState state, String reason, Integer exitCode, int restarts,
            InstanceNetwork network) {
        this(state, reason, exitCode, restarts, network, null, null);
    }

    public InstanceStatusReport(InstanceState state, String reason, Integer exitCode) {
        this(state, reason, exitCode, 0, null);
    }
}
