package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.events.InstanceState;
import java.util.Objects;

/**
 * Which of the scheduler's decisions apply to a stored instance. Pure, so the rules are tested directly.
 *
 * <p>
 * The scheduler places new replicas and re-places those of nodes it marked lost, always under the same instance id.
 * Only an instance the tenant asked to stop (state {@code STOPPED}, or desired {@code STOPPED}: its deployment was
 * deleted or scaled down past it) is out of its reach.
 */
public final class PlacementRules {

    /** What to do with one {@code instance.placed} or {@code instance.unschedulable}. */
    public enum Verdict {
        /** Apply it: the instance takes the new node (or becomes unschedulable). */
        APPLY,
        /** The instance already has what the event says (a redelivered or repeated decision): change nothing. */
        ALREADY,
        /** The instance is stopped or being stopped on request: no decision of the scheduler's changes it. */
        STOPPED_ON_REQUEST
    }

    private PlacementRules() {
    }

    /**
     * @param currentNode the node the instance is placed on now, null if none
     * @param newNode the node the placement names
     */
    public static Verdict placement(InstanceState state, boolean stopRequested, String currentNode,
            String newNode) {
        if (stoppedOnRequest(state, stopRequested)) {
            return Verdict.STOPPED_ON_REQUEST;
        }
        return Objects.equals(currentNode, newNode) ? Verdict.ALREADY : Verdict.APPLY;
    }

    /**
     * An instance waiting for a node takes the (possibly new) reason; a placed one, running or ended, leaves its node.
     */
    public static Verdict unschedulable(InstanceState state, boolean stopRequested, String currentReason,
            String newReason) {
        if (stoppedOnRequest(state, stopRequested)) {
            return Verdict.STOPPED_ON_REQUEST;
        }
        return state == InstanceState.UNSCHEDULABLE && Objects.equals(currentReason, newReason)
                ? Verdict.ALREADY
                : Verdict.APPLY;
    }

    private static boolean stoppedOnRequest(InstanceState state, boolean stopRequested) {
        return state == InstanceState.STOPPED || stopRequested;
    }
}
