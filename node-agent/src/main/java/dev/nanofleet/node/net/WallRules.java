package dev.nanofleet.node.net;

import dev.nanofleet.node.host.Exec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules (filter table) that wall tenants off from each other and from the host, and their installation.
 * Shared by every agent on the host and identical for all, so any agent may (re)install them; {@link #install} does
 * so idempotently.
 *
 * <p>
 * A tenant's instances share one bridge, so traffic between them is bridged and never leaves that bridge. With
 * {@code br_netfilter} loaded ({@code bridge-nf-call-iptables=1}) bridged IPv4 traffic passes the FORWARD chain too,
 * with the bridge as in and out interface. Whatever comes in on a tenant bridge first passes
 * {@link EgressPlan#ANTISPOOF_CHAIN} (in both walls), which drops what an instance sends with a source other than its
 * own address. Then the first rule accepts bridged traffic, the second drops traffic routed from one tenant
 * bridge to another. Traffic an instance routes anywhere else is its egress: it goes to {@link EgressPlan#CHAIN},
 * where the instance's own chain walls off the platform and applies its policy; answers to what that let out come
 * back through the RELATED,ESTABLISHED rule; anything else routed from or to a tenant bridge is dropped (an instance
 * is reachable from outside the node only through a published port). A tenant's private network across nodes
 * ({@link PrivatePlan}) passes first, through {@link PrivatePlan#FORWARD_CHAIN} and
 * {@link PrivatePlan#INPUT_CHAIN} (each agent's rules for its own tenants); whatever they do not accept to or from a
 * VXLAN device, and every VXLAN packet from elsewhere than a tenant's peers, is dropped. Instances may answer the host (connections the
 * host opened: the published-port forwarder, probes) but may open nothing to it but their own bridge's DNS (UDP 53 on
 * its gateway), which also keeps them off other tenants' published ports and every host service, whatever their
 * egress policy.
 */
public final class WallRules {

    public static final String FORWARD_CHAIN = "NANOFLEET-FORWARD";
    public static final String INPUT_CHAIN = "NANOFLEET-INPUT";

    private static final Logger LOG = System.getLogger(WallRules.class.getName());

    private final NetworkHost host;
    private final String iptables;
    private final Iptables tables;

    /**
     * @param iptables the iptables binary
     */
    WallRules(NetworkHost host, String iptables) {
        this.host = host;
        this.iptables = iptables;
        this.tables = new Iptables(host, iptables);
    }

    /** The rules of the FORWARD chain, as {@code iptables -S} prints them. */
    public static List<String> forward() {
        String b = NetNames.BRIDGE_WILDCARD;
        String x = NetNames.VXLAN_WILDCARD;
        String f = "-A " + FORWARD_CHAIN;
        return List.of(f + " -i " + b + " -j " + EgressPlan.ANTISPOOF_CHAIN,
                f + " -i " + b + " -o " + b + " -m physdev --physdev-is-bridged -j ACCEPT",
                f + " -j " + PrivatePlan.FORWARD_CHAIN, f + " -i " + x + " -j DROP", f + " -o " + x + " -j DROP",
                f + " -i " + b + " -o " + b + " -j DROP", f + " -i " + b + " -j " + EgressPlan.CHAIN,
                f + " -o " + b + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", f + " -i " + b + " -j DROP",
                f + " -o " + b + " -j DROP");
    }

    /**
     * The rules of the INPUT chain, as {@code iptables -S} prints them. The one place that lets instances reach their
     * bridge's DNS ({@link InternalDns}): UDP 53 to an address of the very bridge the packet came in on (its gateway;
     * {@code addrtype --limit-iface-in}), from a source the anti-spoofing rules let by. Another tenant's gateway is an
     * address of another bridge, so the last rule drops it.
     */
    public static List<String> input() {
        String b = NetNames.BRIDGE_WILDCARD;
        return List.of("-A " + INPUT_CHAIN + " -i " + b + " -j " + EgressPlan.ANTISPOOF_CHAIN,
                "-A " + INPUT_CHAIN + " -i " + b + " -p udp -m udp --dport " + InternalDns.PORT
                        + " -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT",
                "-A " + INPUT_CHAIN + " -j " + PrivatePlan.INPUT_CHAIN, "-A " + INPUT_CHAIN + " -i "
                        + NetNames.VXLAN_WILDCARD + " -j DROP",
                "-A " + INPUT_CHAIN + " -p udp -m udp --dport "
                        + dev.nanofleet.nodeapi.PrivateNetwork.VXLAN_PORT + " -j DROP",
                "-A " + INPUT_CHAIN + " -i " + b + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A " + INPUT_CHAIN + " -i " + b + " -j DROP");
    }

    /** The rule in the built-in chain that jumps to ours. */
    public static String jump(String builtin, String chain) {
        return "-A " + builtin + " -j " + chain;
    }

    /** Splits a rule as printed by {@code iptables -S} into the arguments that append it. */
    public static List<String> args(String rule) {
        return List.of(rule.split(" "));
    }

    /**
     * What {@code iptables --version} says, e.g. {@code iptables v1.8.9 (nf_tables)}.
     *
     * @throws IllegalStateException if iptables cannot run
     */
    String version() {
        Exec.Result version = Exec.run(host.command(List.of(iptables, "--version")), HostPlumbing.TOOL_TIMEOUT);
        if (!version.ok()) {
            throw new IllegalStateException("iptables --version failed: " + version.message());
        }
        return version.stdout().strip();
    }

    /**
     * Installs the walls unless they are there already: the chains, their rules, the jumps from the built-ins (first).
     *
     * @throws IllegalStateException naming the iptables call that failed
     */
    void install() {
        HostPlumbing.hostLocked(() -> {
            // the shared private-network and anti-spoofing chains hold every agent's rules: created if missing, never
            // flushed here
            for (String chain : List.of(PrivatePlan.FORWARD_CHAIN, PrivatePlan.INPUT_CHAIN,
                    EgressPlan.ANTISPOOF_CHAIN)) {
                if (!tables.run(List.of("-S", chain)).ok()) {
                    tables.require(List.of("-N", chain));
                }
            }
            ensureChain(FORWARD_CHAIN, forward());
            ensureChain(INPUT_CHAIN, input());
            ensureJump("FORWARD", FORWARD_CHAIN);
            ensureJump("INPUT", INPUT_CHAIN);
            return null;
        });
    }

    private void ensureChain(String chain, List<String> rules) {
        Exec.Result current = tables.run(List.of("-S", chain));
        List<String> want = new ArrayList<>(List.of("-N " + chain));
        want.addAll(rules);
        if (current.ok() && current.stdout().strip().lines().map(String::strip).toList().equals(want)) {
            return;
        }
        tables.require(current.ok() ? List.of("-F", chain) : List.of("-N", chain));
        for (String rule : rules) {
            tables.require(args(rule));
        }
        LOG.log(Level.INFO, "event=network.rules.installed chain={0} rules={1}", chain, rules.size());
    }

    private void ensureJump(String builtin, String chain) {
        if (!tables.run(List.of("-C", builtin, "-j", chain)).ok()) {
            tables.require(List.of("-I", builtin, "1", "-j", chain));
        }
    }
}
