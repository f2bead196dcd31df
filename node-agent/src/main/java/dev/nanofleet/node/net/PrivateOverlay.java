package dev.nanofleet.node.net;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.InstanceFiles;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Puts {@link PrivatePlan} on the host: a tenant's VXLAN device with its peers' routes, neighbours and forwarding
 * entries (through {@code ip -batch} and {@code bridge -batch}), and this agent's three chains of private-network
 * rules (one {@code iptables-restore} transaction). A device is made anew whenever its tenant's peers change: the
 * simplest way to drop every stale route and entry with it, at the cost of a blip for that tenant's cross-node traffic.
 *
 * <p>
 * Not thread-safe: {@link NodeNetwork} serialises.
 */
final class PrivateOverlay {

    private static final Logger LOG = System.getLogger(PrivateOverlay.class.getName());

    private final NetworkHost host;
    private final String ip;
    private final String bridgeTool;
    private final String iptablesRestore;
    private final Iptables tables;
    private final String alias;
    private final List<String> chains;

    PrivateOverlay(NetworkHost host, String ip, String bridgeTool, String iptables, String iptablesRestore,
            Path stateDir) {
        this.host = host;
        this.ip = ip;
        this.bridgeTool = bridgeTool;
        this.iptablesRestore = iptablesRestore;
        this.tables = new Iptables(host, iptables);
        this.alias = NetNames.alias(stateDir);
        this.chains = PrivatePlan.agentChains(stateDir);
    }

    /**
     * Creates this agent's chains (empty) and the jumps to them from the shared chains, unless there.
     *
     * @throws IllegalStateException naming the iptables call that failed
     */
    void install() {
        HostPlumbing.hostLocked(() -> {
            ensureChain("filter", chains.get(0));
            ensureChain("filter", chains.get(1));
            ensureChain("nat", chains.get(2));
            ensureJump("filter", PrivatePlan.FORWARD_CHAIN, chains.get(0));
            ensureJump("filter", PrivatePlan.INPUT_CHAIN, chains.get(1));
            ensureJump("nat", EgressPlan.NAT_CHAIN, chains.get(2));
            return null;
        });
    }

    /** (Re)creates the tenant's VXLAN device with its peers. */
    void device(PrivatePlan.Tenant t) {
        removeDevice(t.device());
        batch(List.of(ip), PrivatePlan.deviceCommands(t, alias));
        String fdb = PrivatePlan.fdbCommands(t);
        if (!fdb.isEmpty()) {
            batch(List.of(bridgeTool), fdb);
        }
        LOG.log(Level.INFO, "event=network.private.device tenant={0} device={1} vni={2} subnet={3} peers={4}", t
                .network().tenant(), t.device(), t.network().vni(), t.network().subnet(), t.network().peers().size());
    }

    void removeDevice(String device) {
        Exec.Result exists = exec(List.of(ip, "link", "show", "dev", device));
        if (exists.ok()) {
            Exec.Result r = exec(List.of(ip, "link", "del", device));
            if (!r.ok()) {
                LOG.log(Level.WARNING, "event=network.private.device.delete.failed device={0} reason=\"{1}\"", device,
                        r.message());
            }
        }
    }

    /** Replaces this agent's rules with those of {@code tenants}. */
    void rules(Collection<PrivatePlan.Tenant> tenants) {
        String script = PrivatePlan.restore(chains.get(0), PrivatePlan.forwardRules(chains.get(0), tenants), chains
                .get(1), PrivatePlan.inputRules(chains.get(1), tenants), chains.get(2),
                PrivatePlan.natRules(chains
                        .get(2), tenants));
        HostPlumbing.hostLocked(() -> {
            restore(script);
            return null;
        });
    }

    private void ensureChain(String table, String chain) {
        if (!tables.run(List.of("-t", table, "-S", chain)).ok()) {
            tables.require(List.of("-t", table, "-N", chain));
        }
    }

    private void ensureJump(String table, String from, String to) {
        if (!tables.run(List.of("-t", table, "-C", from, "-j", to)).ok()) {
            tables.require(List.of("-t", table, "-A", from, "-j", to));
        }
    }

    private void restore(String script) {
        Path file = temp("nanofleet-private-", script);
        try {
            Exec.Result r = Exec.run(host.command(List.of(iptablesRestore, "-w", "5", "--noflush", file.toString())),
                    HostPlumbing.TOOL_TIMEOUT);
            if (!r.ok()) {
                throw new RuntimeFailure("private network rules refused by " + iptablesRestore + ": " + r.message());
            }
        } finally {
            InstanceFiles.deleteQuietly(file);
        }
    }

    private void batch(List<String> tool, String commands) {
        Path file = temp("nanofleet-private-", commands);
        try {
            List<String> command = new ArrayList<>(tool);
            command.addAll(List.of("-batch", file.toString()));
            Exec.Result r = exec(command);
            if (!r.ok()) {
                throw new RuntimeFailure("private network setup failed (" + tool.getFirst() + "): " + r.message());
            }
        } finally {
            InstanceFiles.deleteQuietly(file);
        }
    }

    private static Path temp(String prefix, String content) {
        try {
            Path file = Files.createTempFile(prefix, ".batch");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write a temporary file: " + e.getMessage(), e);
        }
    }

    private Exec.Result exec(List<String> command) {
        return Exec.run(host.command(command), HostPlumbing.TOOL_TIMEOUT);
    }
}
