package dev.nanofleet.node.health;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Runs a command inside a running instance, without a terminal and without stdin, and waits for it up to a timeout:
 * what an exec health check needs. One implementation per isolation mode: {@link RuncInstanceCommand} for shared-kernel
 * instances; for VMs the app adapts the exec port's {@code InstanceExec.run} (the guest agent on the VM's {@code exec0}
 * port), and, on a node without the exec helper (so without a guest agent in its VMs), {@link #unavailable} says so.
 *
 * <p>
 * Thread-safe; never throws for the command's or the instance's failure.
 */
@FunctionalInterface
public interface InstanceCommand {

    Outcome run(UUID instanceId, List<String> command, Duration timeout);

    /**
     * @param exitCode the command's exit code; meaningful only when {@code ran}
     * @param ran false when it could not be run to its end (not started, timed out); {@code output} then says why
     * @param output what it printed (stdout, then stderr), or why it did not run
     */
    record Outcome(boolean ran, int exitCode, String output) {
    }

    /** For an isolation mode where this node cannot run commands in instances: every run fails with {@code why}. */
    static InstanceCommand unavailable(String why) {
        return (instanceId, command, timeout) -> new Outcome(false, -1, why);
    }
}
