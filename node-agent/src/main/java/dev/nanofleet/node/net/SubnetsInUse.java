package dev.nanofleet.node.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the IPv4 networks a host uses from {@code ip -j -4 addr} and {@code ip -j -4 route}. */
final class SubnetsInUse {

    private SubnetsInUse() {
    }

    static List<Ipv4Subnet> parse(JsonNode addrs, JsonNode routes) {
        List<Ipv4Subnet> used = new ArrayList<>();
        if (addrs != null) {
            for (JsonNode link : addrs) {
                for (JsonNode addr : link.path("addr_info")) {
                    if ("inet".equals(addr.path("family").asText()) && addr.hasNonNull("local")) {
                        Ipv4Subnet s = new Ipv4Subnet(Ipv4Subnet.address(addr.get("local").asText()), addr.path(
                                "prefixlen").asInt(32));
                        if (s.prefix() > 0 && !s.overlaps(Ipv4Subnet.parse("127.0.0.0/8"))) {
                            used.add(s);
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
                        used.add(s);
                    }
                } catch (IllegalArgumentException e) {
                    // not an IPv4 network (e.g. a multicast or a broadcast keyword): not ours to avoid
                }
            }
        }
        return used;
    }
}
