package dev.nanofleet.node.net;

import dev.nanofleet.node.host.Exec;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs iptables as every rule owner on the node does: waiting up to 5 s for the xtables lock (other agents and the
 * host's own tools change the same tables), through the host's command wrapper.
 */
final class Iptables {

    private final NetworkHost host;
    private final String binary;

    Iptables(NetworkHost host, String binary) {
        this.host = host;
        this.binary = binary;
    }

    Exec.Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(binary, "-w", "5"));
        command.addAll(args);
        return Exec.run(host.command(command), HostPlumbing.TOOL_TIMEOUT);
    }

    /** @throws IllegalStateException naming the call that failed and why */
    void require(List<String> args) {
        Exec.Result r = run(args);
        if (!r.ok()) {
            throw new IllegalStateException(binary + " -w 5 " + String.join(" ", args) + " failed: " + r.message());
        }
    }
}
