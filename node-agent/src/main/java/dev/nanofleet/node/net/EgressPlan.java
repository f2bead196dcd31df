package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.EgressPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which iptables rules an instance's egress policy becomes: pure, so what a policy allows is tested without a host.
 *
 * <p>
 * Traffic an instance routes out of its tenant bridge (not to another bridge: the FORWARD wall drops that first) jumps
 * from {@link WallRules#FORWARD_CHAIN} to {@link #CHAIN}, which sends each instance's packets to a chain of its own,
 * keyed by its address, its tenant's bridge <em>and</em> its own port on that bridge (its veth or tap, matched with
 * {@code physdev} through {@code br_netfilter}): an instance of another tenant cannot borrow the address (its packets
 * come in on another bridge), nor can a neighbour on the same bridge (its packets come in on another port).
 *
 * <p>
 * Anti-spoofing: every packet an instance sends, bridged to a neighbour, routed out or to the node, first passes
 * {@link #ANTISPOOF_CHAIN} (jumped to first from both walls), where a rule per instance drops what comes in on its port
 * with a source other than its own address. So a VM guest (root in its own kernel) that takes a neighbour's address
 * reaches neither the neighbour's egress, nor the other instances, nor the node's DNS with it. Addresses are static
 * (no DHCP, so no 0.0.0.0 sources to let through); ARP is not IPv4 and passes untouched. The instance's chain first drops every {@linkplain #walls wall} (the platform's
 * networks, the node's networks, link-local and the other special ranges), whatever the policy, then applies the
 * policy, then refuses the rest with an ICMP "administratively prohibited" (the program sees a refusal at once rather
 * than a timeout). A packet of no known instance falls back to the FORWARD wall's drop. Answers come back through the
 * FORWARD wall's RELATED,ESTABLISHED rule; the NAT table masquerades what leaves by any interface other than a tenant
 * bridge ({@link #masquerade}).
 */
public final class EgressPlan {

    /** Dispatches routed traffic from tenant bridges to the instances' chains; shared by every agent on the host. */
    public static final String CHAIN = "NANOFLEET-EGRESS";
    /**
     * Jumped to first from both walls for whatever comes in on a tenant bridge; holds a rule per instance (of every agent
     * on the host, each written with its instance's chain and named by it in a comment) dropping packets from the
     * instance's port whose source is not its address.
     */
    public static final String ANTISPOOF_CHAIN = "NANOFLEET-ANTISPOOF";
    /** In the nat table, jumped to from POSTROUTING: the source NAT of instances' egress. */
    public static final String NAT_CHAIN = "NANOFLEET-POSTROUTING";
    /** Every instance chain's name starts so: {@code NFE-<agent, 8 hex>-<instance, 12 hex>} (iptables allows 28). */
    public static final String INSTANCE_CHAIN_PREFIX = "NFE-";

    /**
     * Never reachable, whatever the policy: "this network" (0/8), loopback, link-local (metadata services such as
     * 169.254.169.254), multicast and the reserved 240/4 (with the broadcast address).
     */
    public static final List<Ipv4Subnet> SPECIAL = Stream.of("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16",
            "224.0.0.0/4", "240.0.0.0/4").map(Ipv4Subnet::parse).toList();

    /** The refusal at the end of an instance's chain. */
    static final String REFUSE = "-j REJECT --reject-with icmp-admin-prohibited";

    private EgressPlan() {
    }

    /** The chain of one instance of the agent on {@code stateDir}. */
    public static String instanceChain(Path stateDir, UUID instance) {
        return agentChainPrefix(stateDir) + NetNames.hash(NetNames.canonical(stateDir) + "\negress\n" + instance, 12);
    }

    /** What the chains of every instance of the agent on {@code stateDir} start with. */
    public static String agentChainPrefix(Path stateDir) {
        return INSTANCE_CHAIN_PREFIX + NetNames.owner(stateDir).substring(0, 8) + "-";
    }

    /**
     * The networks no policy opens: {@link #SPECIAL}, every pool the agents take instances' addresses from (all
     * {@code auto} candidates and this node's pool, so instances of other nodes and agents too), and every network the
     * node has an address on or a route to other than through its default route (the nodes' own network, other
     * local networks) except the tenant bridges (walled apart already). A network inside another is left out.
     */
    public static List<Ipv4Subnet> walls(Ipv4Subnet pool, Collection<HostSubnet> host) {
        Set<Ipv4Subnet> all = new LinkedHashSet<>(SPECIAL);
        all.addAll(AddressPlan.AUTO_CANDIDATES);
        all.add(pool);
        host.stream().filter(h -> !h.isTenantBridge()).map(HostSubnet::subnet).forEach(all::add);
        List<Ipv4Subnet> sorted = all.stream().sorted(Comparator.comparingLong((Ipv4Subnet s) -> Integer
                .toUnsignedLong(s.base())).thenComparingInt(Ipv4Subnet::prefix)).toList();
        List<Ipv4Subnet> kept = new ArrayList<>();
        for (Ipv4Subnet s : sorted) {
            if (kept.stream().noneMatch(k -> k.prefix() <= s.prefix() && k.overlaps(s))) {
                kept.add(s);
            }
        }
        return List.copyOf(kept);
    }

    /** The rules of an instance's chain, as {@code iptables -S} prints them: the walls, the policy, the refusal. */
    public static List<String> instanceRules(String chain, EgressPolicy policy, List<Ipv4Subnet> walls) {
        List<String> rules = new ArrayList<>();
        for (Ipv4Subnet wall : walls) {
            rules.add("-A " + chain + " -d " + wall + " -j DROP");
        }
        switch (policy.mode()) {
            case ALLOW_ALL -> rules.add("-A " + chain + " -j ACCEPT");
            case DENY_ALL -> {
                // the refusal below is the whole policy
            }
            case ALLOW_LIST -> {
                for (EgressPolicy.Destination d : policy.allow()) {
                    String cidr = Ipv4Subnet.parse(d.cidr()).toString();
                    if (d.ports().isEmpty()) {
                        rules.add("-A " + chain + " -d " + cidr + " -j ACCEPT");
                        continue;
                    }
                    // multiport takes at most 15 ports a rule
                    List<Integer> ports = d.ports().stream().distinct().sorted().toList();
                    for (int from = 0; from < ports.size(); from += 15) {
                        String list = ports.subList(from, Math.min(ports.size(), from + 15)).stream().map(
                                String::valueOf).collect(Collectors.joining(","));
                        for (String protocol : List.of("tcp", "udp")) {
                            rules.add("-A " + chain + " -d " + cidr + " -p " + protocol + " -m multiport --dports "
                                    + list + " -j ACCEPT");
                        }
                    }
                }
            }
        }
        rules.add("-A " + chain + " " + REFUSE);
        return List.copyOf(rules);
    }

    /**
     * The rule of {@link #CHAIN} that sends an instance's packets to its chain: from its address, on its bridge, through
     * its own port on the bridge.
     *
     * @param port the instance's device on the host's side of the bridge (veth or tap)
     */
    public static String dispatch(String chain, String address, String bridge, String port) {
        return "-A " + CHAIN + " -s " + address + "/32 -i " + bridge + " -m physdev --physdev-in " + port + " -j "
                + chain;
    }

    /**
     * The rule of {@link #ANTISPOOF_CHAIN} that drops what the instance sends with another source than its address;
     * its comment names the instance's chain, by which it is found again and removed with it.
     */
    public static String antiSpoof(String chain, String address, String bridge, String port) {
        return "-A " + ANTISPOOF_CHAIN + " ! -s " + address + "/32 -i " + bridge + " -m physdev --physdev-in " + port
                + " -m comment --comment " + chain + " -j DROP";
    }

    /** Whether a rule of {@link #CHAIN} or {@link #ANTISPOOF_CHAIN}, as {@code iptables -S} prints it, is the chain's. */
    static boolean belongsTo(String rule, String chain) {
        return rule.startsWith("-A ") && (rule.endsWith(" -j " + chain) || rule.contains(" --comment " + chain + " "));
    }

    /**
     * The input of {@code iptables-restore --noflush} that (re)creates an instance's chain with its rules and adds its
     * dispatch and anti-spoofing rules, in one transaction. The chain line empties the chain if it exists.
     */
    public static String restore(String chain, List<String> rules, String dispatch, String antiSpoof) {
        StringBuilder s = new StringBuilder("*filter\n:").append(chain).append(" - [0:0]\n");
        rules.forEach(r -> s.append(r).append('\n'));
        s.append(dispatch).append('\n');
        s.append(antiSpoof).append('\n');
        return s.append("COMMIT\n").toString();
    }

    /** The NAT rule for a pool: what its instances send out of any interface but a tenant bridge leaves as the node. */
    public static String masquerade(Ipv4Subnet pool) {
        return "-A " + NAT_CHAIN + " -s " + pool + " ! -o " + NetNames.BRIDGE_WILDCARD + " -j MASQUERADE";
    }
}
