package dev.nanofleet.node.health;

import dev.nanofleet.node.host.Exec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code runc exec <id> <command>} (no {@code -t}, stdin from /dev/null): the command runs in the container's
 * namespaces and cgroup, with its process' user, environment and working directory, as {@code docker exec} does. When
 * it outlives the timeout, {@code runc exec} is killed; the command itself may run on inside the container until it
 * ends (runc does not kill it), so a check should be a command that ends by itself.
 */
public final class RuncInstanceCommand implements InstanceCommand {

    private final String binary;
    private final Path runtimeRoot;

    /**
     * @param binary the OCI runtime the agent runs its containers with
     * @param runtimeRoot its {@code --root} (the runtime's state), the same as the runtime's
     */
    public RuncInstanceCommand(String binary, Path runtimeRoot) {
        this.binary = binary;
        this.runtimeRoot = runtimeRoot;
    }

    @Override
    public Outcome run(UUID instanceId, List<String> command, Duration timeout) {
        List<String> full = new ArrayList<>(List.of(binary, "--root", runtimeRoot.toString(), "exec",
                instanceId.toString()));
        full.addAll(command);
        long began = System.nanoTime();
        Exec.Result result = Exec.run(full, timeout);
        boolean timedOut = result.exitCode() == 124 && System.nanoTime() - began >= timeout.toNanos();
        if (timedOut) {
            return new Outcome(false, -1, "timed out after " + Probes.seconds(timeout));
        }
        String output = (result.stdout() + result.stderr()).strip();
        return new Outcome(true, result.exitCode(), output);
    }
}
