package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.EgressPolicy.Destination;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which iptables rules an egress policy becomes. */
class EgressPlanTest {

    private static final String CHAIN = "NFE-12345678-abcdefabcdef";
    private static final List<Ipv4Subnet> WALLS = List.of(Ipv4Subnet.parse("169.254.0.0/16"), Ipv4Subnet.parse(
            "10.213.0.0/16"));

    @Test
    void allow_all_accepts_everything_past_the_walls() {
        assertThat(EgressPlan.instanceRules(CHAIN, EgressPolicy.ALLOW_ALL, WALLS)).containsExactly(
                "-A NFE-12345678-abcdefabcdef -d 169.254.0.0/16 -j DROP",
                "-A NFE-12345678-abcdefabcdef -d 10.213.0.0/16 -j DROP", "-A NFE-12345678-abcdefabcdef -j ACCEPT",
                "-A NFE-12345678-abcdefabcdef -j REJECT --reject-with icmp-admin-prohibited");
    }

    @Test
    void deny_all_refuses_everything_after_the_walls() {
        assertThat(EgressPlan.instanceRules(CHAIN, EgressPolicy.DENY_ALL, WALLS)).containsExactly(
                "-A NFE-12345678-abcdefabcdef -d 169.254.0.0/16 -j DROP",
                "-A NFE-12345678-abcdefabcdef -d 10.213.0.0/16 -j DROP",
                "-A NFE-12345678-abcdefabcdef -j REJECT --reject-with icmp-admin-prohibited");
    }

    @Test
    void an_allow_list_accepts_its_ports_over_tcp_and_udp_and_a_destination_without_ports_entirely() {
        EgressPolicy policy = EgressPolicy.allowList(List.of(new Destination("203.0.113.0/24", List.of(443, 80, 443)),
                new Destination("198.51.100.7/32", List.of())));

        assertThat(EgressPlan.instanceRules(CHAIN, policy, List.of())).containsExactly(
                "-A NFE-12345678-abcdefabcdef -d 203.0.113.0/24 -p tcp -m multiport --dports 80,443 -j ACCEPT",
                "-A NFE-12345678-abcdefabcdef -d 203.0.113.0/24 -p udp -m multiport --dports 80,443 -j ACCEPT",
                "-A NFE-12345678-abcdefabcdef -d 198.51.100.7/32 -j ACCEPT",
                "-A NFE-12345678-abcdefabcdef -j REJECT --reject-with icmp-admin-prohibited");
    }

    @Test
    void an_allow_list_never_opens_a_wall_even_when_it_names_one() {
        EgressPolicy policy = EgressPolicy.allowList(List.of(new Destination("0.0.0.0/0", List.of()), new Destination(
                "169.254.169.254/32", List.of(80))));

        List<String> rules = EgressPlan.instanceRules(CHAIN, policy, WALLS);

        assertThat(rules.subList(0, 2)).containsExactly("-A NFE-12345678-abcdefabcdef -d 169.254.0.0/16 -j DROP",
                "-A NFE-12345678-abcdefabcdef -d 10.213.0.0/16 -j DROP");
        assertThat(rules.get(2)).isEqualTo("-A NFE-12345678-abcdefabcdef -d 0.0.0.0/0 -j ACCEPT");
    }

    @Test
    void more_than_fifteen_ports_are_split_over_rules_as_multiport_requires() {
        List<Integer> ports = IntStream.rangeClosed(1001, 1020).boxed().toList();
        List<String> rules = EgressPlan.instanceRules(CHAIN, EgressPolicy.allowList(List.of(new Destination(
                "203.0.113.0/24", ports))), List.of());

        assertThat(rules).hasSize(5);
        assertThat(rules.get(0)).contains("--dports 1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,1011,1012,"
                + "1013,1014,1015 ").contains("-p tcp");
        assertThat(rules.get(2)).contains("--dports 1016,1017,1018,1019,1020 ").contains("-p tcp");
    }

    @Test
    void a_destination_that_is_not_an_ipv4_network_is_refused() {
        EgressPolicy policy = EgressPolicy.allowList(List.of(new Destination("2001:db8::/32", List.of())));

        assertThatThrownBy(() -> EgressPlan.instanceRules(CHAIN, policy, List.of())).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void the_walls_are_the_special_ranges_every_pool_and_the_nodes_networks_but_not_the_tenant_bridges() {
        List<HostSubnet> host = List.of(new HostSubnet(Ipv4Subnet.parse("192.0.2.10/24"), "eth0"), new HostSubnet(
                Ipv4Subnet.parse("10.88.0.0/16"), "cni-podman0"),
                new HostSubnet(Ipv4Subnet.parse("10.213.4.1/24"),
                        "nfb-0123456789a"),
                new HostSubnet(Ipv4Subnet.parse("10.0.0.0/8"), "wg0"));

        List<Ipv4Subnet> walls = EgressPlan.walls(Ipv4Subnet.parse("10.250.0.0/16"), host);

        // 10.0.0.0/8 covers the pools and podman's network: one rule
        assertThat(walls).extracting(Ipv4Subnet::toString).containsExactly("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8",
                "169.254.0.0/16", "192.0.2.0/24", "224.0.0.0/4", "240.0.0.0/4");
        assertThat(EgressPlan.walls(Ipv4Subnet.parse("10.213.0.0/16"), List.of())).extracting(Ipv4Subnet::toString)
                .containsExactly("0.0.0.0/8", "10.213.0.0/16", "10.214.0.0/16", "10.215.0.0/16", "10.216.0.0/16",
                        "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4");
    }

    @Test
    void an_instance_chain_is_named_for_its_agent_and_instance_within_the_length_iptables_allows() {
        UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        Path agent1 = Path.of("/var/lib/nanofleet/node");
        Path agent2 = Path.of("/var/lib/nanofleet/node-2");

        String chain = EgressPlan.instanceChain(agent1, id);

        assertThat(chain).matches("NFE-[0-9a-f]{8}-[0-9a-f]{12}").hasSizeLessThanOrEqualTo(28).startsWith(EgressPlan
                .agentChainPrefix(agent1));
        assertThat(EgressPlan.instanceChain(agent2, id)).isNotEqualTo(chain).doesNotStartWith(EgressPlan
                .agentChainPrefix(agent1));
        assertThat(EgressPlan.instanceChain(agent1, UUID.randomUUID())).isNotEqualTo(chain);
    }

    @Test
    void an_instance_is_dispatched_by_its_address_its_bridge_and_its_port_in_one_restore_transaction() {
        String dispatch = EgressPlan.dispatch(CHAIN, "10.213.0.5", "nfb-0123456789a", "nfv-0123456789ab");
        String antiSpoof = EgressPlan.antiSpoof(CHAIN, "10.213.0.5", "nfb-0123456789a", "nfv-0123456789ab");

        // as iptables -S prints them (checked against iptables 1.8.9), so they are found and deleted again
        assertThat(dispatch).isEqualTo("-A NANOFLEET-EGRESS -s 10.213.0.5/32 -i nfb-0123456789a -m physdev "
                + "--physdev-in nfv-0123456789ab -j " + CHAIN);
        assertThat(EgressPlan.restore(CHAIN, List.of("-A " + CHAIN + " -j ACCEPT"), dispatch, antiSpoof)).isEqualTo(
                "*filter\n" + ":NFE-12345678-abcdefabcdef - [0:0]\n" + "-A NFE-12345678-abcdefabcdef -j ACCEPT\n"
                        + dispatch + "\n" + antiSpoof + "\n" + "COMMIT\n");
        assertThat(EgressPlan.masquerade(Ipv4Subnet.parse("10.213.0.0/16"))).isEqualTo(
                "-A NANOFLEET-POSTROUTING -s 10.213.0.0/16 ! -o nfb+ -j MASQUERADE");
    }

    @Test
    void what_an_instance_sends_from_its_port_with_another_source_is_dropped_by_a_rule_named_for_its_chain() {
        String rule = EgressPlan.antiSpoof(CHAIN, "10.213.0.5", "nfb-0123456789a", "nfv-0123456789ab");

        assertThat(rule).isEqualTo("-A NANOFLEET-ANTISPOOF ! -s 10.213.0.5/32 -i nfb-0123456789a -m physdev "
                + "--physdev-in nfv-0123456789ab -m comment --comment " + CHAIN + " -j DROP");
        assertThat(EgressPlan.belongsTo(rule, CHAIN)).isTrue();
        assertThat(EgressPlan.belongsTo(EgressPlan.dispatch(CHAIN, "10.213.0.5", "nfb-0123456789a",
                "nfv-0123456789ab"), CHAIN)).isTrue();
        // another instance's rules, even one whose chain name starts the same
        assertThat(EgressPlan.belongsTo(EgressPlan.antiSpoof(CHAIN + "0", "10.213.0.6", "nfb-0123456789a",
                "nfv-0123456789ac"), CHAIN)).isFalse();
        assertThat(EgressPlan.belongsTo(EgressPlan.dispatch(CHAIN + "0", "10.213.0.6", "nfb-0123456789a",
                "nfv-0123456789ac"), CHAIN)).isFalse();
        assertThat(EgressPlan.belongsTo("-N " + CHAIN, CHAIN)).isFalse();
    }
}
