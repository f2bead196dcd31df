package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.PrivateNetwork;

/**
 * What a node checks in a private network before it puts any of it into a command: control-api is trusted, but a
 * value that is not what it should be must not become an argument of {@code ip} or {@code iptables}. Pure.
 */
final class PrivatePlanChecks {

    private PrivatePlanChecks() {
    }

    /** Why the network cannot be set up, or null when it can. */
    static String problem(PrivateNetwork n) {
        if (n.tenant() == null || !n.tenant().matches("[a-z0-9][a-z0-9-]{0,62}")) {
            return "tenant is not a DNS label";
        }
        if (n.vni() < 1 || n.vni() > PrivateNetwork.MAX_VNI) {
            return "vni " + n.vni() + " is not from 1 to " + PrivateNetwork.MAX_VNI;
        }
        try {
            Ipv4Subnet range = Ipv4Subnet.parse(n.range());
            Ipv4Subnet subnet = Ipv4Subnet.parse(n.subnet());
            if (subnet.prefix() != AddressPlan.TENANT_SUBNET_LENGTH || !subnet.toString().equals(n.subnet().strip())
                    || !range.contains(subnet.base())) {
                return "subnet " + n.subnet() + " is not a /24 of the range " + n.range();
            }
            for (PrivateNetwork.Peer peer : n.peers()) {
                Ipv4Subnet.address(peer.underlay());
                Ipv4Subnet s = Ipv4Subnet.parse(peer.subnet());
                if (s.prefix() != AddressPlan.TENANT_SUBNET_LENGTH || !range.contains(s.base()) || s.equals(subnet)) {
                    return "peer " + peer.node() + "'s subnet " + peer.subnet() + " is not another /24 of the range";
                }
            }
        } catch (RuntimeException e) {
            return "not an IPv4 network or address: " + e.getMessage();
        }
        return null;
    }
}
