package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.nodeapi.PrivateNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivatePlanTest {

    private static final PrivateNetwork GLOBEX = new PrivateNetwork("globex", 7, "10.192.3.0/24", "10.192.0.0/12",
            List.of(new PrivateNetwork.Peer("node-2", "10.230.0.12", "10.192.4.0/24")), Map.of("web", List.of(
                    "10.192.4.2")));
    private static final PrivatePlan.Tenant TENANT = new PrivatePlan.Tenant(GLOBEX, "nfb-aaaaaaaaaaa",
            "nfx-bbbbbbbbbbb");

    @Test
    void a_subnets_vxlan_mac_is_derived_from_the_subnet_so_every_node_computes_the_same() {
        assertThat(PrivatePlan.mac(Ipv4Subnet.parse("10.192.4.0/24"))).isEqualTo("02:6e:66:0a:c0:04");
        assertThat(PrivatePlan.mac(Ipv4Subnet.parse("10.207.255.0/24"))).isEqualTo("02:6e:66:0a:cf:ff");
    }

    @Test
    void the_device_routes_each_peers_subnet_via_its_dot_zero_whose_mac_the_node_knows_and_learns_nothing() {
        assertThat(PrivatePlan.deviceCommands(TENANT, "nanofleet-x")).isEqualTo("""
                link add nfx-bbbbbbbbbbb type vxlan id 7 dstport 4789 nolearning
                link set dev nfx-bbbbbbbbbbb address 02:6e:66:0a:c0:03 mtu 1450 alias nanofleet-x
                link set dev nfx-bbbbbbbbbbb up
                neigh replace 10.192.4.0 lladdr 02:6e:66:0a:c0:04 dev nfx-bbbbbbbbbbb nud permanent
                route replace 10.192.4.0/24 via 10.192.4.0 dev nfx-bbbbbbbbbbb onlink
                """);
        assertThat(PrivatePlan.fdbCommands(TENANT)).isEqualTo(
                "fdb replace 02:6e:66:0a:c0:04 dev nfx-bbbbbbbbbbb dst 10.230.0.12 self permanent\n");
    }

    @Test
    void only_the_tenants_own_bridge_forwards_to_and_from_its_device_and_nothing_else_goes_into_the_range() {
        assertThat(PrivatePlan.forwardRules("NFP-1", List.of(TENANT))).containsExactly(
                "-A NFP-1 -i nfb-aaaaaaaaaaa -o nfx-bbbbbbbbbbb -j ACCEPT",
                "-A NFP-1 -i nfx-bbbbbbbbbbb -o nfb-aaaaaaaaaaa -j ACCEPT",
                "-A NFP-1 -i nfb-aaaaaaaaaaa -d 10.192.0.0/12 -j DROP");
    }

    @Test
    void the_host_takes_vxlan_only_from_the_peers_with_the_tenants_vni() {
        assertThat(PrivatePlan.inputRules("NFQ-1", List.of(TENANT))).containsExactly(
                "-A NFQ-1 -s 10.230.0.12/32 -p udp -m udp --dport 4789 -m u32 --u32 \"0x0>>0x16&0x3c@0xc>>0x8=0x7\""
                        + " -j ACCEPT");
    }

    @Test
    void the_tenants_subnet_is_natted_out_of_the_node_but_never_over_the_overlay() {
        assertThat(PrivatePlan.natRules("NFN-1", List.of(TENANT))).containsExactly("-A NFN-1 -o nfx+ -j RETURN",
                "-A NFN-1 -s 10.192.3.0/24 ! -o nfb+ -j MASQUERADE");
    }

    @Test
    void the_three_chains_are_replaced_in_one_restore_transaction_per_table() {
        String script = PrivatePlan.restore("NFP-1", List.of("-A NFP-1 -j ACCEPT"), "NFQ-1", List.of(), "NFN-1",
                List.of("-A NFN-1 -j RETURN"));

        assertThat(script).isEqualTo("""
                *filter
                :NFP-1 - [0:0]
                :NFQ-1 - [0:0]
                -A NFP-1 -j ACCEPT
                COMMIT
                *nat
                :NFN-1 - [0:0]
                -A NFN-1 -j RETURN
                COMMIT
                """);
    }

    @Test
    void an_agents_chains_and_devices_are_named_for_it_and_fit_the_kernels_limits() {
        Path dir = Path.of("/var/lib/nanofleet/node");
        assertThat(PrivatePlan.agentChains(dir)).allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(28))
                .doesNotHaveDuplicates();
        String device = NetNames.vxlan("node-1", dir, "globex");
        assertThat(device).startsWith("nfx-").hasSize(15).isNotEqualTo(NetNames.vxlan("node-2", dir, "globex"))
                .isNotEqualTo(NetNames.vxlan("node-1", dir, "initech"));
    }

    @Test
    void a_container_resolves_through_its_bridge_and_searches_its_tenants_zone() {
        assertThat(PrivatePlan.resolvConf("10.192.3.1", "globex")).isEqualTo(
                "nameserver 10.192.3.1\nsearch globex.internal\noptions ndots:1\n");
    }

    @Test
    void an_instance_of_a_tenant_without_a_private_network_resolves_through_its_bridge_and_searches_nothing() {
        assertThat(PrivatePlan.resolvConf("10.213.4.1", null)).isEqualTo("nameserver 10.213.4.1\n");
    }

    @Test
    void a_network_whose_values_are_not_what_they_should_be_is_refused_before_any_command() {
        assertThat(PrivatePlanChecks.problem(GLOBEX)).isNull();
        assertThat(PrivatePlanChecks.problem(with("Globex;", 7, "10.192.3.0/24", "10.230.0.12", "10.192.4.0/24")))
                .contains("tenant");
        assertThat(PrivatePlanChecks.problem(with("globex", 0, "10.192.3.0/24", "10.230.0.12", "10.192.4.0/24")))
                .contains("vni 0");
        assertThat(PrivatePlanChecks.problem(with("globex", 1 << 24, "10.192.3.0/24", "10.230.0.12",
                "10.192.4.0/24"))).contains("vni");
        assertThat(PrivatePlanChecks.problem(with("globex", 7, "10.213.3.0/24", "10.230.0.12", "10.192.4.0/24")))
                .contains("not a /24 of the range");
        assertThat(PrivatePlanChecks.problem(with("globex", 7, "10.192.3.5/24", "10.230.0.12", "10.192.4.0/24")))
                .contains("not a /24 of the range");
        assertThat(PrivatePlanChecks.problem(with("globex", 7, "10.192.3.0/24", "10.230.0.12\nlink del eth0",
                "10.192.4.0/24"))).contains("not an IPv4");
        assertThat(PrivatePlanChecks.problem(with("globex", 7, "10.192.3.0/24", "10.230.0.12", "10.192.3.0/24")))
                .contains("peer");
        assertThat(PrivatePlanChecks.problem(with("globex", 7, "10.192.3.0/24", "10.230.0.12", "192.168.1.0/24")))
                .contains("peer");
    }

    private static PrivateNetwork with(String tenant, int vni, String subnet, String underlay, String peerSubnet) {
        return new PrivateNetwork(tenant, vni, subnet, "10.192.0.0/12", List.of(new PrivateNetwork.Peer("node-2",
                underlay, peerSubnet)), Map.of());
    }
}
