package dev.nanofleet.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One node agent of the local platform.
 *
 * @param name the node's name, {@code local-1}, {@code local-2}, ...
 * @param component the launcher's name for its process (PID file, log, data directory)
 * @param stateDir the agent's state directory: image cache, bundles, runc state under {@code oci-state}
 * @param address where the agent listens and registers from: 127.0.0.1 for the single node of {@code ./fleet up},
 *        its own address in its network namespace otherwise
 * @param netns its network namespace under {@code /run/netns}, empty for the single node (which runs in the host's)
 * @param labels what it registers with, e.g. {@code zone=local-a}; none for the single node
 * @param cgroupParent the cgroup its shared-kernel instances go under
 * @param pool where its instances' /24s come from ({@code auto} for the single node): disjoint across nodes, so a
 *        private address names one instance in the whole local fleet
 */
public record LocalNode(String name, String component, Path stateDir, String address, Optional<String> netns,
        Map<String, String> labels, String cgroupParent, String pool) {

    public LocalNode {
        labels = Map.copyOf(labels);
    }

    /** The agent's base URL, which control-api calls for logs and exec. */
    public String agentUrl(int port) {
        return "http://" + address + ":" + port;
    }

    /** Where the agent keeps its OCI runtime's state ({@code runc --root}). */
    public Path ociState() {
        return stateDir.resolve("oci-state");
    }

    /** The zone label, if it has one. */
    public Optional<String> zone() {
        return Optional.ofNullable(labels.get("zone"));
    }
}
