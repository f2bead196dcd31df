package dev.nanofleet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet network's plan, without touching the host. */
class FleetNetworkTest {

    private static final String ADDRS = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever
            7: cni-podman0    inet 10.88.0.1/16 brd 10.88.255.255 scope global cni-podman0\\       valid_lft forever
            9: nfb-23f8d04a0ab    inet 10.213.0.1/24 scope global nfb-23f8d04a0ab\\       valid_lft forever
            """;
    private static final String ROUTES = """
            default via 192.0.2.1 dev eth0
            10.88.0.0/16 dev cni-podman0 proto kernel scope link src 10.88.0.1
            10.230.0.0/24 dev wg0 proto kernel scope link src 10.230.0.7
            10.230.1.9 dev tun0 scope link
            192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
            """;

    @Test
    void reads_the_hosts_networks_from_addresses_and_routes_without_loopback_or_the_default_route() {
        assertThat(FleetNetwork.hostNetworks(ADDRS, ROUTES)).map(Ipv4Network::toString).containsExactly(
                "192.0.2.0/24", "10.88.0.0/16", "10.213.0.0/24", "10.88.0.0/16", "10.230.0.0/24", "10.230.1.9/32",
                "192.0.2.0/24");
    }

    @Test
    void takes_the_first_slash_24_that_overlaps_nothing_on_the_host() {
        List<Ipv4Network> host = FleetNetwork.hostNetworks(ADDRS, ROUTES);

        // 10.230.0.0/24 is wg0's, 10.230.1.9 is routed to tun0
        assertThat(FleetNetwork.choose(host)).hasToString("10.230.2.0/24");
        assertThat(FleetNetwork.choose(List.of())).hasToString("10.230.0.0/24");
    }

    @Test
    void a_host_that_uses_the_whole_candidate_range_gets_a_launch_error_naming_it() {
        List<Ipv4Network> host = new ArrayList<>(List.of(Ipv4Network.parse("10.0.0.0/8")));

        assertThatThrownBy(() -> FleetNetwork.choose(host)).isInstanceOf(LaunchException.class)
                .hasMessage("no /24 of 10.230.0.0/16 is free on this host for the nodes' network");
    }

    @Test
    void each_node_gets_its_namespace_address_zone_cgroup_parent_state_and_a_pool_of_its_own() {
        Layout layout = new Layout(Path.of("/repo"), Path.of("/repo/.fleet"));
        FleetNetwork network = FleetNetwork.plan(layout, 4, Ipv4Network.parse("10.230.5.0/24"),
                Path.of("/repo/.fleet/data/fleet-network/subnet"));

        List<LocalNode> nodes = network.nodes();
        assertThat(nodes).map(LocalNode::name).containsExactly("local-1", "local-2", "local-3", "local-4");
        assertThat(nodes).map(LocalNode::address).containsExactly("10.230.5.11", "10.230.5.12", "10.230.5.13",
                "10.230.5.14");
        assertThat(nodes).map(n -> n.zone().orElseThrow()).containsExactly("local-a", "local-b", "local-c",
                "local-a");
        assertThat(nodes).map(LocalNode::cgroupParent).containsExactly("nanofleet-local-1", "nanofleet-local-2",
                "nanofleet-local-3", "nanofleet-local-4");
        assertThat(nodes).map(LocalNode::pool).containsExactly("10.213.0.0/19", "10.213.32.0/19", "10.213.64.0/19",
                "10.213.96.0/19");
        assertThat(nodes.get(1).stateDir()).isEqualTo(Path.of("/repo/.fleet/data/node-agent-local-2/state"));
        assertThat(nodes.get(1).component()).isEqualTo("node-agent-local-2");
        assertThat(nodes.get(1).agentUrl(18083)).isEqualTo("http://10.230.5.12:18083");
        assertThat(network.hostAddress()).isEqualTo("10.230.5.1");
        // names carry the home's hash (two platforms may share a host) and fit IFNAMSIZ
        assertThat(network.bridge()).matches("nfl-[0-9a-f]{8}");
        assertThat(network.hostVeth(4)).matches("nfl[0-9a-f]{8}-4").hasSizeLessThanOrEqualTo(15);
        assertThat(nodes.get(0).netns()).hasValueSatisfying(ns -> assertThat(ns).matches(
                "nanofleet-[0-9a-f]{8}-local-1"));
        FleetNetwork other = FleetNetwork.plan(new Layout(Path.of("/repo"), Path.of("/tmp/other")), 2,
                Ipv4Network.parse("10.230.6.0/24"), Path.of("/tmp/other/subnet"));
        assertThat(other.bridge()).isNotEqualTo(network.bridge());
    }

    @Test
    void a_fleet_network_has_two_to_eight_nodes() {
        Layout layout = new Layout(Path.of("/repo"), Path.of("/repo/.fleet"));
        Ipv4Network subnet = Ipv4Network.parse("10.230.0.0/24");

        assertThatThrownBy(() -> FleetNetwork.plan(layout, 1, subnet, Path.of("x")))
                .hasMessage("a fleet network has 2 to 8 nodes, not 1");
        assertThatThrownBy(() -> FleetNetwork.plan(layout, 9, subnet, Path.of("x")))
                .hasMessage("a fleet network has 2 to 8 nodes, not 9");
    }

    @Test
    void the_single_node_keeps_todays_shape() {
        Layout layout = new Layout(Path.of("/repo"), Path.of("/repo/.fleet"));

        LocalNode only = LocalPlatform.nodes(layout, 1).getFirst();

        assertThat(only).isEqualTo(new LocalNode("local-1", "node-agent", LocalPlatform.nodeState(layout),
                "127.0.0.1", Optional.empty(), java.util.Map.of(), "nanofleet", "auto"));
        assertThat(only.agentUrl(18083)).isEqualTo("http://127.0.0.1:18083");
    }

    @Test
    void ipv4_networks_parse_overlap_and_refuse_what_is_not_one() {
        assertThat(Ipv4Network.parse("10.230.7.9/24")).hasToString("10.230.7.0/24");
        assertThat(Ipv4Network.parse("10.88.0.0/16").overlaps(Ipv4Network.parse("10.88.3.0/24"))).isTrue();
        assertThat(Ipv4Network.parse("10.230.0.0/24").overlaps(Ipv4Network.parse("10.230.1.0/24"))).isFalse();
        for (String bad : List.of("10.230.0/24", "10.230.0.300/24", "10.230.0.0/33", "x", "1.2.3.4/8/1")) {
            assertThatThrownBy(() -> Ipv4Network.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
