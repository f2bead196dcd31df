package dev.nanofleet.node.app;

import dev.nanofleet.events.Resources;
import dev.nanofleet.node.host.HostFacts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Checks what {@code @ConfigMapping} cannot express, and derives the values with host-dependent defaults. */
final class NodeConfigCheck {

    private NodeConfigCheck() {
    }

    /** @throws IllegalStateException listing every problem, each with its key */
    static void validate(NodeConfig c) {
        List<String> problems = new ArrayList<>();
        if (!c.name().matches("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?")) {
            problems.add("nanofleet.node.name '" + c.name()
                    + "' must be 1-63 lower-case letters, digits, '.' or '-', starting and ending alphanumeric");
        }
        checkHttp(problems, "nanofleet.node.control-api-url", c.controlApiUrl());
        if (c.oidc().tokenUrl().isEmpty() && c.oidc().issuer().isEmpty()) {
            problems.add("set nanofleet.node.oidc.token-url or nanofleet.node.oidc.issuer");
        }
        c.oidc().tokenUrl().ifPresent(u -> checkHttp(problems, "nanofleet.node.oidc.token-url", u));
        c.oidc().issuer().ifPresent(u -> checkHttp(problems, "nanofleet.node.oidc.issuer", u));
        if (c.oidc().clientSecret().isBlank()) {
            problems.add("nanofleet.node.oidc.client-secret is empty");
        }
        if (!c.stateDir().isAbsolute()) {
            problems.add("nanofleet.node.state-dir must be an absolute path, not " + c.stateDir());
        }
        c.allocatable().cpuMillis().ifPresent(v -> {
            if (v <= 0) {
                problems.add("nanofleet.node.allocatable.cpu-millis must be positive");
            }
        });
        c.allocatable().memoryMib().ifPresent(v -> {
            if (v <= 0) {
                problems.add("nanofleet.node.allocatable.memory-mib must be positive");
            }
        });
        if (c.reconcileInterval().isNegative() || c.reconcileInterval().isZero()) {
            problems.add("nanofleet.node.reconcile-interval must be positive");
        }
        if (c.heartbeatInterval().isNegative() || c.heartbeatInterval().isZero()) {
            problems.add("nanofleet.node.heartbeat-interval must be positive");
        }
        if (c.stopGracePeriod().isNegative()) {
            problems.add("nanofleet.node.stop-grace-period must not be negative");
        }
        if (c.workers() < 1) {
            problems.add("nanofleet.node.workers must be at least 1");
        }
        try {
            if (dev.nanofleet.node.net.Ipv4Subnet.parse(c.network().pool()).prefix() > 24) {
                problems.add("nanofleet.node.network.pool must hold at least one /24, not " + c.network().pool());
            }
        } catch (IllegalArgumentException e) {
            problems.add("nanofleet.node.network.pool must be an IPv4 network like 10.88.0.0/16, not '" + c.network()
                    .pool() + "'");
        }
        if (!c.network().publishAddress().matches("[0-9.]+|[0-9a-fA-F:]+")) {
            problems.add("nanofleet.node.network.publish-address must be an IP address, not '" + c.network()
                    .publishAddress() + "'");
        }
        c.agentUrl().ifPresent(u -> checkHttp(problems, "nanofleet.node.agent-url", u));
        if (c.logs().maxBytes() < 1) {
            problems.add("nanofleet.node.logs.max-bytes must be positive");
        }
        if (c.logs().maxFiles() < 1) {
            problems.add("nanofleet.node.logs.max-files must be at least 1");
        }
        if (c.logs().rotateInterval().isNegative() || c.logs().rotateInterval().isZero()) {
            problems.add("nanofleet.node.logs.rotate-interval must be positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid node-agent configuration: " + String.join("; ", problems));
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

    private static void checkHttp(List<String> problems, String key, URI uri) {
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            problems.add(key + " must be an http(s) URL, not '" + uri + "'");
        }
    }
}
