package dev.nanofleet.nodeapi;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's private network as one node takes part in it, from control-api's assignment list
 * ({@link AssignmentList#privateNetworks}). control-api owns the allocation: each (tenant, node) pair gets a /24 unique
 * in the fleet, so the tenant's instances on different nodes can be routed to each other over an overlay (VXLAN, one
 * network identifier per tenant). A node is told only about tenants it hosts, and for each only that tenant's peers.
 *
 * @param tenant the tenant
 * @param vni the tenant's VXLAN network identifier, 1 to 16777215, unique in the fleet
 * @param subnet this node's /24 for the tenant (CIDR): its bridge takes {@code .1}, its instances the addresses after
 * @param range the whole private-network range every tenant subnet comes from (CIDR): no other traffic goes there
 * @param peers the other nodes that host the tenant: where their VXLAN endpoint is and which subnet is behind it
 * @param names the tenant's directory: deployment name to the private addresses of its healthy replicas, anywhere in
 *        the fleet; what {@code <deployment>.<tenant>.internal} resolves to
 */
public record PrivateNetwork(String tenant, int vni, String subnet, String range, List<Peer> peers,
        Map<String, List<String>> names) {

    /** The largest VXLAN network identifier (24 bits). */
    public static final int MAX_VNI = (1 << 24) - 1;
    /** The UDP port VXLAN packets travel on between nodes (IANA's). */
    public static final int VXLAN_PORT = 4789;
    /** The DNS zone instances resolve their tenant's deployments in: {@code <deployment>.<tenant>.internal}. */
    public static final String ZONE = "internal";

    public PrivateNetwork {
        peers = peers == null ? List.of() : List.copyOf(peers);
        names = names == null ? Map.of() : new TreeMap<>(names);
    }

    /**
     * Another node of the tenant's network.
     *
     * @param node the node's name
     * @param underlay the node's address on the nodes' network (IPv4), where VXLAN packets for it go
     * @param subnet the tenant's /24 on that node (CIDR)
     */
    public record Peer(String node, String underlay, String subnet) {
    }
}
