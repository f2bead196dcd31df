package dev.nanofleet.node.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the IPv4 networks a host uses from {@code ip -j -4 addr} and {@code ip -j -4 route}. */
final class SubnetsInUse {

    private static final Ipv4Subnet LOOPBACK = Ipv4Subnet.parse("127.0.0.0/8");

    private SubnetsInUse() {
    }

    /** Every address's network and every route's destination, loopback and the default route aside. */
    static List<HostSubnet> parse(JsonNode addrs, JsonNode routes) {
        List<HostSubnet> used = new ArrayList<>();
        if (addrs != null) {
            for (JsonNode link : addrs) {
                for (JsonNode addr : link.path("addr_info")) {
                    if ("inet".equals(addr.path("family").asText()) && addr.hasNonNull("local")) {
                        Ipv4Subnet s = new Ipv4Subnet(Ipv4Subnet.address(addr.get("local").asText()), addr.path(
                                "prefixlen").asInt(32));
                        if (s.prefix() > 0 && !s.overlaps(LOOPBACK)) {
                            used.add(new HostSubnet(s, link.path("ifname").asText("")));
                        }
                    }
                }
            }
        }
        if (routes != null) {
            for (JsonNode route : routes) {
                String dst = route.path("dst").asText("");
                if (dst.isEmpty() || dst.equals("default")) {
                    continue;
                }
                try {
                    Ipv4Subnet s = Ipv4Subnet.parse(dst);
                    if (s.prefix() > 0) {
                        used.add(new HostSubnet(s, route.path("dev").asText("")));
                    }
                } catch (IllegalArgumentException e) {
                    // not an IPv4 network (e.g. a multicast or a broadcast keyword): not ours to avoid
                }
            }
        }
        return used;
    }

    static List<Ipv4Subnet> subnets(List<HostSubnet> used) {
        return used.stream().map(HostSubnet::subnet).toList();
    }
}
