package dev.nanofleet.node.health;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.node.core.HealthChecks.Watch;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The check's {@code command} run inside the instance, passed when it exits 0. */
public final class ExecProbe implements Probe {

    /**
     * What a VM's exec check says on a node without the exec helper ({@code nanofleet.node.exec.helper}): its VMs have
     * no guest agent to run the command.
     */
    public static final String NO_GUEST_AGENT = "exec checks in VMs need the guest agent";
    private static final int MAX_OUTPUT = 200;

    private final Map<Isolation, InstanceCommand> commands;

    /** @param commands how to run a command in an instance of each isolation mode; a missing mode fails its checks */
    public ExecProbe(Map<Isolation, InstanceCommand> commands) {
        this.commands = commands.isEmpty() ? Map.of() : new EnumMap<>(commands);
    }

    @Override
    public ProbeResult probe(Watch target, Duration timeout) {
        List<String> command = target.check().command();
        if (command == null || command.isEmpty()) {
            return ProbeResult.fail("exec check without a command");
        }
        String shown = "exec " + String.join(" ", command);
        InstanceCommand runner = commands.get(target.isolation());
        if (runner == null) {
            return ProbeResult.fail(shown + ": cannot run commands in " + target.isolation() + " instances");
        }
        InstanceCommand.Outcome outcome = runner.run(target.instanceId(), command, timeout);
        if (!outcome.ran()) {
            return ProbeResult.fail(shown + ": " + outcome.output());
        }
        if (outcome.exitCode() == 0) {
            return ProbeResult.pass(shown + " exited with 0");
        }
        // the first line only: enough to say why, and little of what a command might print goes into events
        String output = outcome.output() == null ? "" : outcome.output().strip().lines().findFirst().orElse("");
        if (output.length() > MAX_OUTPUT) {
            output = output.substring(0, MAX_OUTPUT) + "...";
        }
        return ProbeResult.fail(shown + " exited with " + outcome.exitCode() + (output.isEmpty() ? "" : ": " + output));
    }
}
