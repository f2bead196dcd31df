package dev.nanofleet.node.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the node network's host plumbing runs: the host's own network namespace (what an agent does), or a named
 * namespace under {@code /run/netns} (what a test does to show the agent on a host with other networks, such as
 * podman's, without changing the host's). Every {@code ip} and {@code iptables} call goes through {@link #command}.
 *
 * @param namespace the namespace's name, or null for the host's own
 */
public record NetworkHost(String namespace) {

    /** The host's own network namespace. */
    public static NetworkHost local() {
        return new NetworkHost(null);
    }

    /** A namespace made with {@code ip netns add NAME}. */
    public static NetworkHost namespace(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("not a network namespace name: " + name);
        }
        return new NetworkHost(name);
    }

    public boolean isLocal() {
        return namespace == null;
    }

    /** The command, entered into the namespace first unless it is the host's own. */
    List<String> command(List<String> command) {
        if (isLocal()) {
            return command;
        }
        List<String> entered = new ArrayList<>(List.of("nsenter", "--net=" + NodeNetwork.NETNS_DIR.resolve(
                namespace)));
        entered.addAll(command);
        return entered;
    }
}
