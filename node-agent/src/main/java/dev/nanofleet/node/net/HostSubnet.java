package dev.nanofleet.node.net;

/**
 * An IPv4 network the host uses: an address on an interface or a route in its main table.
 *
 * @param subnet the network
 * @param device the interface it is on or routed through, or an empty string if {@code ip} named none
 */
public record HostSubnet(Ipv4Subnet subnet, String device) {

    public HostSubnet {
        device = device == null ? "" : device;
    }

    /** A Nanofleet agent's tenant bridge: its /24 came from a pool, by design. */
    boolean isTenantBridge() {
        return device.startsWith(NetNames.BRIDGE_PREFIX);
    }

    @Override
    public String toString() {
        return device.isEmpty() ? subnet.toString() : subnet + " (" + device + ")";
    }
}
