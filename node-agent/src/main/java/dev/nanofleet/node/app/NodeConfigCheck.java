package dev.nanofleet.node.app;

import dev.nanofleet.events.Resources;
import dev.nanofleet.node.host.HostFacts;
import java.net.URI;

/**
 * What spans several keys of {@link NodeConfig} (each key alone is checked by Bean Validation when the configuration
 * is read), and the values with host-dependent defaults.
 */
final class NodeConfigCheck {

    private NodeConfigCheck() {
    }

    /** @throws IllegalStateException naming the keys */
    static void validate(NodeConfig c) {
        if (c.oidc().tokenUrl().isEmpty() && c.oidc().issuer().isEmpty()) {
            throw new IllegalStateException(
                    "invalid node-agent configuration: set nanofleet.node.oidc.token-url or nanofleet.node.oidc.issuer");
        }
    }

    static URI tokenUrl(NodeConfig c) {
        return c.oidc().tokenUrl().orElseGet(() -> {
            String issuer = c.oidc().issuer().orElseThrow().toString();
            return URI.create((issuer.endsWith("/") ? issuer : issuer + "/") + "protocol/openid-connect/token");
        });
    }

    static Resources allocatable(NodeConfig c) {
        int cpu = c.allocatable().cpuMillis().orElse(Math.max(100, HostFacts.cpuCores() * 1000 - 500));
        int memory = c.allocatable().memoryMib()
                .orElse((int) Math.max(128, HostFacts.memTotalMiB().orElse(2048L) - 1024));
        return new Resources(cpu, memory);
    }
}
