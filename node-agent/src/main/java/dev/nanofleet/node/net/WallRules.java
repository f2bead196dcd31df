package dev.nanofleet.node.net;

import java.util.List;

/**
 * The iptables rules (filter table) that wall tenants off from each other and from the host. Shared by every agent on
 * the host and identical for all, so any agent may (re)install them; {@link NodeNetwork} does so idempotently.
 *
 * <p>
 * A tenant's instances share one bridge, so traffic between them is bridged and never leaves that bridge. With
 * {@code br_netfilter} loaded ({@code bridge-nf-call-iptables=1}) bridged IPv4 traffic passes the FORWARD chain too,
 * with the bridge as in and out interface: the first rule accepts it before the drop of traffic routed from one
 * tenant bridge to another (or anywhere: routed traffic from or to a tenant bridge is dropped both ways, so an
 * instance is reachable from outside the node only through a published port). Instances may answer the host (connections the host opened: the published-port forwarder,
 * probes) but may open nothing to it, which also keeps them off other tenants' published ports and every host service.
 * Nothing is NATed: instances have no way out of the node in this version.
 */
public final class WallRules {

    public static final String FORWARD_CHAIN = "NANOFLEET-FORWARD";
    public static final String INPUT_CHAIN = "NANOFLEET-INPUT";

    private WallRules() {
    }

    /** The rules of the FORWARD chain, as {@code iptables -S} prints them. */
    public static List<String> forward() {
        String b = NetNames.BRIDGE_WILDCARD;
        return List.of("-A " + FORWARD_CHAIN + " -i " + b + " -o " + b + " -m physdev --physdev-is-bridged -j ACCEPT",
                "-A " + FORWARD_CHAIN + " -i " + b + " -j DROP", "-A " + FORWARD_CHAIN + " -o " + b + " -j DROP");
    }

    /** The rules of the INPUT chain, as {@code iptables -S} prints them. */
    public static List<String> input() {
        String b = NetNames.BRIDGE_WILDCARD;
        return List.of("-A " + INPUT_CHAIN + " -i " + b + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
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
}
