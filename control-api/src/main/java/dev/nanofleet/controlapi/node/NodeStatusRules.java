package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.UsageReport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a node may report about an instance, and which reports change nothing. Pure, so the rules are tested directly.
 */
public final class NodeStatusRules {

    /** States only the control plane sets; a node reports what happens on it. */
    static final Set<InstanceState> CONTROL_PLANE_STATES = EnumSet.of(InstanceState.PENDING,
            InstanceState.UNSCHEDULABLE, InstanceState.SCHEDULED);
    static final int MAX_REASON_LENGTH = 2_048;
    static final int MAX_SAMPLES = 10_000;
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

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
                    + "; it reports PULLING, STARTING, RUNNING, RESTARTING, STOPPING, STOPPED, EXITED or FAILED"));
        } else if (report.state() == InstanceState.FAILED && (report.reason() == null || report.reason().isBlank())) {
            errors.add(new FieldError("reason", "is required when the state is FAILED"));
        }
        if (report.healthReason() != null && report.healthReason().length() > MAX_REASON_LENGTH) {
            errors.add(new FieldError("healthReason", "must be at most " + MAX_REASON_LENGTH + " characters"));
        } else if (report.healthReason() != null && report.healthReason().indexOf('\0') >= 0) {
            errors.add(new FieldError("healthReason", "must not contain the NUL character (\\u0000)"));
        }
        if (report.reason() != null && report.reason().length() > MAX_REASON_LENGTH) {
            errors.add(new FieldError("reason", "must be at most " + MAX_REASON_LENGTH + " characters"));
        } else if (report.reason() != null && report.reason().indexOf('\0') >= 0) {
            errors.add(new FieldError("reason", "must not contain the NUL character (\\u0000)"));
        }
        if (report.restarts() < 0) {
            errors.add(new FieldError("restarts", "must not be negative"));
        }
        InstanceNetwork network = report.network();
        if (network != null) {
            if (network.address() == null || !IPV4.matcher(network.address()).matches()) {
                errors.add(new FieldError("network.address", "must be an IPv4 address"));
            }
            List<InstanceNetwork.PortBinding> ports = network.ports() == null ? List.of() : network.ports();
            for (int i = 0; i < ports.size(); i++) {
                InstanceNetwork.PortBinding binding = ports.get(i);
                if (binding == null || !isPort(binding.containerPort()) || !isPort(binding.hostPort())) {
                    errors.add(new FieldError("network.ports[" + i + "]", "ports must be between 1 and 65535"));
                }
            }
        }
        return errors;
    }

    public static List<FieldError> validate(UsageReport report) {
        List<FieldError> errors = new ArrayList<>();
        if (report == null || report.samples() == null) {
            errors.add(new FieldError("samples", "is required"));
            return errors;
        }
        if (report.samples().size() > MAX_SAMPLES) {
            errors.add(new FieldError("samples", "must have at most " + MAX_SAMPLES + " samples"));
            return errors;
        }
        for (int i = 0; i < report.samples().size(); i++) {
            UsageReport.Sample sample = report.samples().get(i);
            String field = "samples[" + i + "]";
            if (sample == null) {
                errors.add(new FieldError(field, "must not be null"));
                continue;
            }
            if (sample.instanceId() == null) {
                errors.add(new FieldError(field + ".instanceId", "is required"));
            }
            if (sample.sampledAt() == null) {
                errors.add(new FieldError(field + ".sampledAt", "is required"));
            }
            if (sample.cpuNanos() < 0) {
                errors.add(new FieldError(field + ".cpuNanos", "must not be negative"));
            }
            if (sample.memoryBytes() < 0) {
                errors.add(new FieldError(field + ".memoryBytes", "must not be negative"));
            }
        }
        return errors;
    }

    private static boolean isPort(int port) {
        return port >= 1 && port <= 65_535;
    }

    /**
     * Whether a valid report changes the instance. A terminal instance stays terminal (a late report from before it
     * ended is stale), and a report equal to what is stored is a retry.
     */
    public static boolean changes(InstanceState current, String currentReason, Integer currentExitCode,
            int currentRestarts, InstanceNetwork currentNetwork, InstanceStatusReport report) {
        if (current.isTerminal()) {
            return false;
        }
        return current != report.state() || !Objects.equals(currentReason, report.reason())
                || !Objects.equals(currentExitCode, report.exitCode()) || currentRestarts != report.restarts()
                || (report.network() != null && !report.network().equals(currentNetwork));
    }
}
