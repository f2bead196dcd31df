package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a node may report about an instance, and which reports change nothing. Pure, so the rules are tested directly.
 */
public final class NodeStatusRules {

    /** States only the control plane sets; a node reports what happens on it. */
    static final Set<InstanceState> CONTROL_PLANE_STATES = EnumSet.of(InstanceState.PENDING,
            InstanceState.UNSCHEDULABLE, InstanceState.SCHEDULED);
    static final int MAX_REASON_LENGTH = 2_048;

    private NodeStatusRules() {
    }

    public static List<FieldError> validate(InstanceStatusReport report) {
        List<FieldError> errors = new ArrayList<>();
        if (report == null) {
            errors.add(new FieldError("", "a JSON object is required"));
            return errors;
        }
        if (report.state() == null) {
            errors.add(new FieldError("state", "is required"));
        } else if (CONTROL_PLANE_STATES.contains(report.state())) {
            errors.add(new FieldError("state", "a node may not report " + report.state()
                    + "; it reports PULLING, STARTING, RUNNING, STOPPING, STOPPED, EXITED or FAILED"));
        } else if (report.state() == InstanceState.FAILED && (report.reason() == null || report.reason().isBlank())) {
            errors.add(new FieldError("reason", "is required when the state is FAILED"));
        }
        if (report.reason() != null && report.reason().length() > MAX_REASON_LENGTH) {
            errors.add(new FieldError("reason", "must be at most " + MAX_REASON_LENGTH + " characters"));
        }
        return errors;
    }

    /**
     * Whether a valid report changes the instance. A terminal instance stays terminal (a late report from before it
     * ended is stale), and a report equal to what is stored is a retry.
     */
    public static boolean changes(InstanceState current, String currentReason, Integer currentExitCode,
            InstanceStatusReport report) {
        if (current.isTerminal()) {
            return false;
        }
        return current != report.state() || !Objects.equals(currentReason, report.reason())
                || !Objects.equals(currentExitCode, report.exitCode());
    }
}
