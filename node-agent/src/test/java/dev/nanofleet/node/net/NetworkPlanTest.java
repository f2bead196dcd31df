package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pure parts of the node network: subnet math, names, the wall rules. */
class NetworkPlanTest {

    private static final Ipv4Subnet POOL = Ipv4Subnet.parse("10.88.0.0/16");
    private final UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @Test
    void parses_and_prints_subnets() {
        Ipv4Subnet s = Ipv4Subnet.parse("10.88.3.77/24");
        assertThat(s).hasToString("10.88.3.0/24");
        assertThat(s.host(1)).isEqualTo("10.88.3.1");
        assertThat(s.host(254)).isEqualTo("10.88.3.254");
        assertThat(s.size()).isEqualTo(256);
        assertThat(s.contains(Ipv4Subnet.address("10.88.3.200"))).isTrue();
        assertThat(s.contains(Ipv4Subnet.address("10.88.4.1"))).isFalse();
        assertThat(Ipv4Subnet.parse("192.0.2.2")).hasToString("192.0.2.2/32");
        assertThat(Ipv4Subnet.parse("200.1.2.3/8").host(1)).isEqualTo("200.0.0.1");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.88.0/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.88.0.256/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.host(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlap_is_symmetric_and_follows_the_shorter_prefix() {
        assertThat(Ipv4Subnet.parse("10.0.0.0/8").overlaps(Ipv4Subnet.parse("10.88.5.0/24"))).isTrue();
        assertThat(Ipv4Subnet.parse("10.88.5.0/24").overlaps(Ipv4Subnet.parse("10.0.0.0/8"))).isTrue();
        assertThat(Ipv4Subnet.parse("10.88.5.0/24").overlaps(Ipv4Subnet.parse("10.88.6.0/24"))).isFalse();
        assertThat(Ipv4Subnet.parse("10.88.5.9/32").overlaps(Ipv4Subnet.parse("10.88.5.0/24"))).isTrue();
    }

    @Test
    void picks_the_first_subnet_of_the_pool_that_overlaps_nothing_in_use() {
        assertThat(Ipv4Subnet.firstFree(POOL, 24, List.of())).contains(Ipv4Subnet.parse("10.88.0.0/24"));
        assertThat(Ipv4Subnet.firstFree(POOL, 24, List.of(Ipv4Subnet.parse("10.88.0.0/23"), Ipv4Subnet.parse(
                "10.88.3.1/24"), Ipv4Subnet.parse("192.0.2.0/24")))).contains(Ipv4Subnet.parse("10.88.2.0/24"));
        // a host route inside a candidate blocks it too
        assertThat(Ipv4Subnet.firstFree(POOL, 24, List.of(Ipv4Subnet.parse("10.88.0.9/32")))).contains(Ipv4Subnet
                .parse("10.88.1.0/24"));
        // a wider network on the host covering the whole pool leaves nothing
        assertThat(Ipv4Subnet.firstFree(POOL, 24, List.of(Ipv4Subnet.parse("10.0.0.0/8")))).isEmpty();
        assertThat(Ipv4Subnet.firstFree(Ipv4Subnet.parse("10.200.7.0/24"), 24, List.of())).contains(Ipv4Subnet.parse(
                "10.200.7.0/24"));
        assertThatThrownBy(() -> Ipv4Subnet.firstFree(Ipv4Subnet.parse("10.1.1.0/25"), 24, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reads_the_subnets_in_use_from_ip_json() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var addrs = json.readTree("""
                [{"ifname":"lo","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},
                 {"ifname":"eth0","addr_info":[{"family":"inet","local":"192.0.2.2","prefixlen":24},
                                               {"family":"inet6","local":"fd00::2","prefixlen":64}]},
                 {"ifname":"nfb-0123456789a","addr_info":[{"family":"inet","local":"10.88.0.1","prefixlen":24}]}]
                """);
        var routes = json.readTree("""
                [{"dst":"default","gateway":"192.0.2.1","dev":"eth0"},
                 {"dst":"10.88.7.0/24","dev":"wg0"},{"dst":"172.16.0.5","dev":"tun0"}]
                """);

        assertThat(SubnetsInUse.parse(addrs, routes)).extracting(HostSubnet::toString).containsExactly(
                "192.0.2.0/24 (eth0)", "10.88.0.0/24 (nfb-0123456789a)", "10.88.7.0/24 (wg0)",
                "172.16.0.5/32 (tun0)");
    }

    @Test
    void interface_names_fit_ifnamsiz_and_differ_between_agents_and_tenants() {
        Path agent1 = Path.of("/var/lib/nanofleet/node");
        Path agent2 = Path.of("/tmp/other-agent");
        String bridge = NetNames.bridge("node-1", agent1, "acme");

        assertThat(bridge).startsWith("nfb-").hasSize(15).matches("nfb-[0-9a-f]{11}");
        assertThat(NetNames.bridge("node-1", agent1, "acme")).isEqualTo(bridge);
        assertThat(NetNames.bridge("node-1", agent1, "globex")).isNotEqualTo(bridge);
        assertThat(NetNames.bridge("node-1", agent2, "acme")).isNotEqualTo(bridge);
        assertThat(NetNames.bridge("node-2", agent1, "acme")).isNotEqualTo(bridge);
        assertThat(NetNames.veth(agent1, id)).matches("nfv-[0-9a-f]{11}");
        assertThat(NetNames.tap(agent1, id)).matches("nfm-[0-9a-f]{11}");
        assertThat(NetNames.veth(agent1, id)).isNotEqualTo(NetNames.veth(agent2, id));
        assertThat(NetNames.netns(agent1, id)).isEqualTo("nf-" + NetNames.owner(agent1) + "-" + id);
        assertThat(NetNames.alias(agent1)).isEqualTo("nanofleet-" + NetNames.owner(agent1)).hasSize(26);
        // pinned: ./fleet down (deploy/launcher NodeAgentService.owner) finds the devices by the same hash
        assertThat(NetNames.owner(agent1)).isEqualTo("0a810e07e6a6ef60");
        // the same directory however it is written
        assertThat(NetNames.owner(Path.of("/var/lib/nanofleet/./node/"))).isEqualTo(NetNames.owner(agent1));
        // locally administered, unicast
        assertThat(NetNames.mac(agent1, id)).matches("02(:[0-9a-f]{2}){5}");
    }

    @Test
    void the_walls_check_sources_then_accept_bridged_traffic_before_sending_egress_to_its_policy_and_dropping_the_rest() {
        assertThat(WallRules.forward()).containsExactly("-A NANOFLEET-FORWARD -i nfb+ -j NANOFLEET-ANTISPOOF",
                "-A NANOFLEET-FORWARD -i nfb+ -o nfb+ -m physdev --physdev-is-bridged -j ACCEPT",
                "-A NANOFLEET-FORWARD -j NANOFLEET-PRIVATE", "-A NANOFLEET-FORWARD -i nfx+ -j DROP",
                "-A NANOFLEET-FORWARD -o nfx+ -j DROP", "-A NANOFLEET-FORWARD -i nfb+ -o nfb+ -j DROP",
                "-A NANOFLEET-FORWARD -i nfb+ -j NANOFLEET-EGRESS",
                "-A NANOFLEET-FORWARD -o nfb+ -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A NANOFLEET-FORWARD -i nfb+ -j DROP", "-A NANOFLEET-FORWARD -o nfb+ -j DROP");
        assertThat(WallRules.input()).containsExactly("-A NANOFLEET-INPUT -i nfb+ -j NANOFLEET-ANTISPOOF",
                "-A NANOFLEET-INPUT -i nfb+ -p udp -m udp --dport 53 -m addrtype --dst-type LOCAL --limit-iface-in"
                        + " -j ACCEPT",
                "-A NANOFLEET-INPUT -j NANOFLEET-PRIVATE-IN",
                "-A NANOFLEET-INPUT -i nfx+ -j DROP", "-A NANOFLEET-INPUT -p udp -m udp --dport 4789 -j DROP",
                "-A NANOFLEET-INPUT -i nfb+ -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A NANOFLEET-INPUT -i nfb+ -j DROP");
        assertThat(WallRules.args(WallRules.input().get(6))).containsExactly("-A", "NANOFLEET-INPUT", "-i", "nfb+",
                "-j", "DROP");
    }
}
