package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.PrivateNetwork;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a tenant's private network across nodes ({@link PrivateNetwork}, allocated by control-api) becomes on this node:
 * pure, so the device commands and the rules are tested without a host.
 *
 * <p>
 * The overlay is routed (L3), not one big bridge: each node's tenant bridge keeps its own /24 with {@code .1} as the
 * instances' gateway, and a VXLAN device per tenant (network identifier {@link PrivateNetwork#vni}, UDP
 * {@value PrivateNetwork#VXLAN_PORT}, no multicast, no learning) carries packets to the peers' subnets. For each peer
 * the node holds a route to its subnet via the subnet's {@code .0} (on-link over the VXLAN device), a permanent
 * neighbour entry giving that address the peer's device MAC, and a forwarding-database entry sending that MAC to the
 * peer's underlay address. Every MAC is derived from its subnet ({@link #mac}), so a node never needs to be told
 * another node's MAC, and nothing is learnt from the wire: a forged packet cannot teach the node a new peer.
 *
 * <p>
 * The walls, in chains of this agent (rewritten whole on each change, as {@code iptables-restore} input):
 * <ul>
 * <li>{@link #forwardRules}: only the tenant's own bridge may forward to and from its VXLAN device; nothing else of
 * the bridge goes into the private range (the shared FORWARD wall drops every other packet to or from a VXLAN
 * device, so tenant B's instances never reach tenant A's device).</li>
 * <li>{@link #inputRules}: VXLAN packets only from the tenant's peers and only with the tenant's identifier (u32 match on the VXLAN header); the shared
 * INPUT wall drops every other VXLAN packet and everything from a VXLAN device to the host.</li>
 * <li>{@link #natRules}: the tenant's subnet is NATed when it leaves the node for the outside (egress), never when it
 * goes over the overlay.</li>
 * </ul>
 */
public final class PrivatePlan {

    /** VXLAN adds 50 bytes (outer IPv4, UDP, VXLAN, inner Ethernet) to a 1500-byte underlay. */
    public static final int VXLAN_MTU = 1450;
    /** Jumped to from the shared FORWARD wall; each agent's chain is jumped to from here. */
    public static final String FORWARD_CHAIN = "NANOFLEET-PRIVATE";
    /** Jumped to from the shared INPUT wall; each agent's chain is jumped to from here. */
    public static final String INPUT_CHAIN = "NANOFLEET-PRIVATE-IN";

    /**
     * One tenant's private network as this node applies it.
     *
     * @param network what control-api allocated
     * @param bridge the tenant's bridge on this node
     * @param device the tenant's VXLAN device on this node
     */
    public record Tenant(PrivateNetwork network, String bridge, String device) {

        Ipv4Subnet subnet() {
            return Ipv4Subnet.parse(network.subnet());
        }

        /** The same network without its directory: what the devices and rules depend on. */
        PrivateNetwork withoutNames() {
            return new PrivateNetwork(network.tenant(), network.vni(), network.subnet(), network.range(), network
                    .peers(), null);
        }
    }

    private PrivatePlan() {
    }

    /**
     * The MAC of the VXLAN device behind a subnet: locally administered, unicast, {@code 02:6e:66} and the subnet's
     * first three octets (the subnets are /24s unique in the fleet, so the MACs are too).
     */
    public static String mac(Ipv4Subnet subnet) {
        int base = subnet.base();
        return String.format("02:6e:66:%02x:%02x:%02x", base >>> 24, base >>> 16 & 0xff, base >>> 8 & 0xff);
    }

    /** The address a peer's subnet is routed via: its {@code .0}, which the neighbour entry maps to its MAC. */
    static String nextHop(Ipv4Subnet subnet) {
        return subnet.host(0);
    }

    /** {@code ip -batch} input creating the tenant's VXLAN device (deleted first by the caller) with its routes. */
    public static String deviceCommands(Tenant t, String alias) {
        StringBuilder s = new StringBuilder();
        s.append("link add ").append(t.device()).append(" type vxlan id ").append(t.network().vni()).append(
                " dstport ").append(PrivateNetwork.VXLAN_PORT).append(" nolearning\n");
        s.append("link set dev ").append(t.device()).append(" address ").append(mac(t.subnet())).append(" mtu ")
                .append(VXLAN_MTU).append(" alias ").append(alias).append('\n');
        s.append("link set dev ").append(t.device()).append(" up\n");
        for (PrivateNetwork.Peer peer : t.network().peers()) {
            Ipv4Subnet subnet = Ipv4Subnet.parse(peer.subnet());
            s.append("neigh replace ").append(nextHop(subnet)).append(" lladdr ").append(mac(subnet)).append(" dev ")
                    .append(t.device()).append(" nud permanent\n");
            s.append("route replace ").append(subnet).append(" via ").append(nextHop(subnet)).append(" dev ").append(
                    t.device()).append(" onlink\n");
        }
        return s.toString();
    }

    /** {@code bridge -batch} input: each peer's MAC goes to its underlay address. */
    public static String fdbCommands(Tenant t) {
        StringBuilder s = new StringBuilder();
        for (PrivateNetwork.Peer peer : t.network().peers()) {
            s.append("fdb replace ").append(mac(Ipv4Subnet.parse(peer.subnet()))).append(" dev ").append(t.device())
                    .append(" dst ").append(underlay(peer)).append(
                            " self permanent\n");
        }
        return s.toString();
    }

    /** The peer's underlay address, checked to be a dotted IPv4 address (it goes into commands). */
    static String underlay(PrivateNetwork.Peer peer) {
        return Ipv4Subnet.dotted(Ipv4Subnet.address(peer.underlay()));
    }

    /** The agent's FORWARD chain: each tenant's bridge and VXLAN device to each other, nothing else into the range. */
    public static List<String> forwardRules(String chain, Collection<Tenant> tenants) {
        List<String> rules = new ArrayList<>();
        for (Tenant t : tenants) {
            rules.add("-A " + chain + " -i " + t.bridge() + " -o " + t.device() + " -j ACCEPT");
            rules.add("-A " + chain + " -i " + t.device() + " -o " + t.bridge() + " -j ACCEPT");
            rules.add("-A " + chain + " -i " + t.bridge() + " -d " + Ipv4Subnet.parse(t.network().range())
                    + " -j DROP");
        }
        return rules;
    }

    /**
     * The agent's INPUT chain: each tenant's VXLAN from its peers. (Every bridge's DNS is let in by the shared wall,
     * {@link WallRules#input}, private network or not.)
     */
    public static List<String> inputRules(String chain, Collection<Tenant> tenants) {
        List<String> rules = new ArrayList<>();
        for (Tenant t : tenants) {
            for (PrivateNetwork.Peer peer : t.network().peers()) {
                rules.add("-A " + chain + " -s " + underlay(peer) + "/32 -p udp -m udp"
                        + " --dport " + PrivateNetwork.VXLAN_PORT + " -m u32 --u32 \"0x0>>0x16&0x3c@0xc>>0x8=0x"
                        + Integer.toHexString(t.network().vni()) + "\" -j ACCEPT");
            }
        }
        return rules;
    }

    /** The agent's NAT chain: nothing over the overlay is NATed; what leaves the node otherwise is. */
    public static List<String> natRules(String chain, Collection<Tenant> tenants) {
        List<String> rules = new ArrayList<>();
        rules.add("-A " + chain + " -o " + NetNames.VXLAN_WILDCARD + " -j RETURN");
        for (Tenant t : tenants) {
            rules.add("-A " + chain + " -s " + t.subnet() + " ! -o " + NetNames.BRIDGE_WILDCARD + " -j MASQUERADE");
        }
        return rules;
    }

    /** {@code iptables-restore --noflush} input replacing the three agent chains' rules in one go. */
    public static String restore(String forwardChain, List<String> forward, String inputChain, List<String> input,
            String natChain, List<String> nat) {
        StringBuilder s = new StringBuilder("*filter\n");
        s.append(':').append(forwardChain).append(" - [0:0]\n");
        s.append(':').append(inputChain).append(" - [0:0]\n");
        forward.forEach(r -> s.append(r).append('\n'));
        input.forEach(r -> s.append(r).append('\n'));
        s.append("COMMIT\n*nat\n:").append(natChain).append(" - [0:0]\n");
        nat.forEach(r -> s.append(r).append('\n'));
        return s.append("COMMIT\n").toString();
    }

    /** The agent's chains: {@code NFP-}, {@code NFQ-} and {@code NFN-} with the agent's 8 hex characters. */
    public static List<String> agentChains(java.nio.file.Path stateDir) {
        String owner = NetNames.owner(stateDir).substring(0, 8);
        return List.of("NFP-" + owner, "NFQ-" + owner, "NFN-" + owner);
    }

    /**
     * An instance's {@code /etc/resolv.conf}: the bridge's DNS as the only nameserver and, for a tenant with a private
     * network, its zone to search.
     *
     * @param tenant null when the tenant has no private network (nothing to search then)
     */
    public static String resolvConf(String gateway, String tenant) {
        if (tenant == null) {
            return "nameserver " + gateway + "\n";
        }
        return "nameserver " + gateway + "\nsearch " + tenant + "." + PrivateNetwork.ZONE + "\noptions ndots:1\n";
    }
}
