package dev.nanofleet.node.net;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.InstanceFiles;
import dev.nanofleet.nodeapi.EgressPolicy;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Installs the egress of {@link EgressPlan} through iptables: the shared dispatch chain and the NAT of this agent's
 * pool at start-up, an instance's chain when it is attached, its removal when it is detached, and a sweep of the
 * chains this agent left for instances it no longer records. Every change of the shared chains runs under the host's
 * network lock; an instance's chain and its dispatch rule are written in one {@code iptables-restore} transaction.
 *
 * <p>
 * Thread-safe as far as the host lock goes; the caller ({@link NodeNetwork}) serialises per agent.
 */
final class EgressRules {

    private static final Logger LOG = System.getLogger(EgressRules.class.getName());

    private final NetworkHost host;
    private final Iptables tables;
    private final String iptablesRestore;
    private final Path stateDir;
    private final List<Ipv4Subnet> walls;

    /**
     * @param walls the networks no policy opens ({@link EgressPlan#walls})
     */
    EgressRules(NetworkHost host, String iptables, String iptablesRestore, Path stateDir, List<Ipv4Subnet> walls) {
        this.host = host;
        this.tables = new Iptables(host, iptables);
        this.iptablesRestore = iptablesRestore;
        this.stateDir = stateDir;
        this.walls = List.copyOf(walls);
    }

    /**
     * Creates {@link EgressPlan#CHAIN} (before the FORWARD wall jumps to it) and the NAT of the pool, unless there.
     *
     * @throws IllegalStateException naming the iptables call that failed
     */
    void install(Ipv4Subnet pool) {
        HostPlumbing.hostLocked(() -> {
            for (String chain : List.of(EgressPlan.CHAIN, EgressPlan.ANTISPOOF_CHAIN)) {
                if (!tables.run(List.of("-S", chain)).ok()) {
                    tables.require(List.of("-N", chain));
                }
            }
            if (!tables.run(List.of("-t", "nat", "-S", EgressPlan.NAT_CHAIN)).ok()) {
                tables.require(List.of("-t", "nat", "-N", EgressPlan.NAT_CHAIN));
            }
            List<String> masquerade = WallRules.args(EgressPlan.masquerade(pool));
            if (!tables.run(withTable("nat", "-C", masquerade)).ok()) {
                tables.require(withTable("nat", "-A", masquerade));
            }
            if (!tables.run(List.of("-t", "nat", "-C", "POSTROUTING", "-j", EgressPlan.NAT_CHAIN)).ok()) {
                tables.require(List.of("-t", "nat", "-I", "POSTROUTING", "1", "-j", EgressPlan.NAT_CHAIN));
            }
            return null;
        });
        LOG.log(Level.INFO, "event=network.egress.ready pool={0} walls={1}", pool, walls);
    }

    /**
     * Writes the instance's chain for its policy, sends its packets there and drops those it sends with another source
     * address; replaces what it had.
     *
     * @param port the instance's device on the bridge (its veth's host end, or its tap)
     */
    void apply(UUID instance, String address, String bridge, String port, EgressPolicy policy) {
        String chain = EgressPlan.instanceChain(stateDir, instance);
        String script;
        try {
            script = EgressPlan.restore(chain, EgressPlan.instanceRules(chain, policy, walls), EgressPlan.dispatch(
                    chain, address, bridge, port), EgressPlan.antiSpoof(chain, address, bridge, port));
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure("bad egress policy: " + e.getMessage(), e);
        }
        HostPlumbing.hostLocked(() -> {
            deleteReferences(chain);
            restore(script);
            return null;
        });
    }

    /** Removes the instance's chain and its dispatch rule; idempotent. */
    void remove(UUID instance) {
        String chain = EgressPlan.instanceChain(stateDir, instance);
        HostPlumbing.hostLocked(() -> {
            removeChain(chain);
            return null;
        });
    }

    /** Removes every chain of this agent that belongs to none of {@code keep} (instances detached while it was away). */
    void sweep(Set<UUID> keep) {
        Set<String> kept = keep.stream().map(id -> EgressPlan.instanceChain(stateDir, id)).collect(Collectors.toSet());
        String prefix = EgressPlan.agentChainPrefix(stateDir);
        HostPlumbing.hostLocked(() -> {
            Exec.Result all = tables.run(List.of("-S"));
            if (!all.ok()) {
                LOG.log(Level.WARNING, "event=network.egress.sweep.failed reason=\"{0}\"", all.message());
                return null;
            }
            for (String line : all.stdout().lines().toList()) {
                if (line.startsWith("-N " + prefix)) {
                    String chain = line.substring(3).strip();
                    if (!kept.contains(chain)) {
                        removeChain(chain);
                        LOG.log(Level.INFO, "event=network.egress.swept chain={0}", chain);
                    }
                }
                // an anti-spoofing rule whose chain went without it (a flush, an older agent): by its comment
                int comment = line.indexOf(" --comment " + prefix);
                if (line.startsWith("-A " + EgressPlan.ANTISPOOF_CHAIN + " ") && comment > 0) {
                    String chain = line.substring(comment + " --comment ".length()).split(" ")[0];
                    if (!kept.contains(chain)) {
                        deleteRule(line.strip());
                    }
                }
            }
            return null;
        });
    }

    private void removeChain(String chain) {
        deleteReferences(chain);
        if (tables.run(List.of("-S", chain)).ok()) {
            tables.run(List.of("-F", chain));
            Exec.Result r = tables.run(List.of("-X", chain));
            if (!r.ok()) {
                LOG.log(Level.WARNING, "event=network.egress.remove.failed chain={0} reason=\"{1}\"", chain, r
                        .message());
            }
        }
    }

    /**
     * Deletes every rule of {@link EgressPlan#CHAIN} that jumps to {@code chain} and of
     * {@link EgressPlan#ANTISPOOF_CHAIN} named for it (whatever address and port they name).
     */
    private void deleteReferences(String chain) {
        for (String shared : List.of(EgressPlan.CHAIN, EgressPlan.ANTISPOOF_CHAIN)) {
            Exec.Result rules = tables.run(List.of("-S", shared));
            if (!rules.ok()) {
                continue;
            }
            for (String rule : rules.stdout().lines().map(String::strip).toList()) {
                if (EgressPlan.belongsTo(rule, chain)) {
                    deleteRule(rule);
                }
            }
        }
    }

    /** Deletes a rule as {@code iptables -S} printed it. */
    private void deleteRule(String rule) {
        List<String> args = new ArrayList<>(WallRules.args(rule));
        args.set(0, "-D");
        tables.run(args);
    }

    private void restore(String script) {
        Path file;
        try {
            file = Files.createTempFile("nanofleet-egress-", ".rules");
            Files.writeString(file, script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write an iptables-restore file: " + e.getMessage(), e);
        }
        try {
            Exec.Result r = Exec.run(host.command(List.of(iptablesRestore, "-w", "5", "--noflush", file.toString())),
                    HostPlumbing.TOOL_TIMEOUT);
            if (!r.ok()) {
                throw new RuntimeFailure("egress rules refused by " + iptablesRestore + ": " + r.message());
            }
        } finally {
            InstanceFiles.deleteQuietly(file);
        }
    }

    private static List<String> withTable(String table, String op, List<String> rule) {
        List<String> args = new ArrayList<>(List.of("-t", table, op));
        args.addAll(rule.subList(1, rule.size()));
        return args;
    }
}
