package dev.nanofleet.node.app;

import dev.nanofleet.events.Resources;
import dev.nanofleet.node.controlplane.NodeCredential;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.RegistryMirrors;
import dev.nanofleet.node.net.DnsUpstreams;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What spans several keys of {@link NodeConfig} (each key alone is checked by Bean Validation when the configuration
 * is read), and the values with host-dependent defaults.
 */
final class NodeConfigCheck {

    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private NodeConfigCheck() {
    }

    /** @throws IllegalStateException naming the keys */
    static void validate(NodeConfig c) {
        if (!NodeCredential.stored(c.stateDir()) && c.joinToken().filter(t -> !t.isBlank()).isEmpty()) {
            throw new IllegalStateException("invalid node-agent configuration: there is no node credential in "
                    + NodeCredential.file(c.stateDir()) + " and no nanofleet.node.join-token"
                    + " (NANOFLEET_NODE_JOIN_TOKEN) to enroll with: ask an operator for a join token"
                    + " (POST /v1/node-join-tokens)");
        }
    }

    /** @throws IllegalStateException naming the key and the entry that is not a mirror */
    static RegistryMirrors mirrors(NodeConfig c) {
        try {
            return RegistryMirrors.parse(c.registry().mirrors().orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid node-agent configuration: nanofleet.node.registry.mirrors"
                    + " (NANOFLEET_NODE_REGISTRY_MIRRORS): " + e.getMessage(), e);
        }
    }

    /**
     * The resolvers the tenant bridges' DNS forwards public names to: {@code nanofleet.node.dns.upstream}, else the
     * host's {@code /etc/resolv.conf} as it is at start-up (none there: public names get SERVFAIL).
     *
     * @throws IllegalStateException naming the key and the entry that is not {@code IPv4[:port]}
     */
    static List<InetSocketAddress> dnsUpstreams(NodeConfig c) {
        Optional<List<String>> configured = c.dns().upstream();
        if (configured.isPresent()) {
            try {
                return DnsUpstreams.parse(configured.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("invalid node-agent configuration: nanofleet.node.dns.upstream"
                        + " (NANOFLEET_NODE_DNS_UPSTREAM): " + e.getMessage(), e);
            }
        }
        try {
            return DnsUpstreams.fromResolvConf(Files.readString(HOST_RESOLV_CONF));
        } catch (IOException e) {
            return List.of();
        }
    }

    static Resources allocatable(NodeConfig c) {
        int cpu = c.allocatable().cpuMillis().orElse(Math.max(100, HostFacts.cpuCores() * 1000 - 500));
        int memory = c.allocatable().memoryMib()
                .orElse((int) Math.max(128, HostFacts.memTotalMiB().orElse(2048L) - 1024));
        return new Resources(cpu, memory);
    }
}
