package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Choosing the node's pool, a tenant's subnet and an instance's address from what the host has. */
class AddressPlanTest {

    private static final HostSubnet ETH0 = new HostSubnet(Ipv4Subnet.parse("192.0.2.0/24"), "eth0");
    private static final HostSubnet PODMAN = new HostSubnet(Ipv4Subnet.parse("10.88.0.0/16"), "cni-podman0");

    @Test
    void auto_takes_the_first_candidate_when_the_host_has_nothing_in_it() {
        AddressPlan.Pool pool = AddressPlan.choosePool("auto", List.of(ETH0, PODMAN));

        assertThat(pool.subnet()).hasToString("10.213.0.0/16");
        assertThat(pool.reason()).isEqualTo("auto: the first candidate, free on this host");
    }

    @Test
    void auto_skips_every_candidate_that_overlaps_an_address_or_a_route_and_says_why() {
        List<HostSubnet> host = List.of(ETH0, new HostSubnet(Ipv4Subnet.parse("10.213.7.0/24"), "wg0"),
                new HostSubnet(Ipv4Subnet.parse("10.214.0.9/32"), "tun0"));

        AddressPlan.Pool pool = AddressPlan.choosePool("auto", host);

        assertThat(pool.subnet()).hasToString("10.215.0.0/16");
        assertThat(pool.reason()).isEqualTo(
                "auto: 10.213.0.0/16 overlaps 10.213.7.0/24 (wg0); 10.214.0.0/16 overlaps 10.214.0.9/32 (tun0)");
    }

    @Test
    void auto_refuses_when_every_candidate_is_taken_naming_what_takes_each_and_the_key_to_set() {
        List<HostSubnet> host = List.of(new HostSubnet(Ipv4Subnet.parse("10.0.0.0/8"), "vpn0"));

        assertThatThrownBy(() -> AddressPlan.choosePool("auto", host)).isInstanceOf(PoolUnavailableException.class)
                .hasMessage("no instance address pool is free on this host (10.213.0.0/16 overlaps 10.0.0.0/8 (vpn0);"
                        + " 10.214.0.0/16 overlaps 10.0.0.0/8 (vpn0); 10.215.0.0/16 overlaps 10.0.0.0/8 (vpn0);"
                        + " 10.216.0.0/16 overlaps 10.0.0.0/8 (vpn0)): set nanofleet.node.network.pool to an IPv4"
                        + " network holding at least one /24 that no interface or route of this host uses");
    }

    @Test
    void the_agents_own_tenant_bridges_do_not_take_the_pool_they_came_from() {
        // after an agent restart its bridges hold /24s of the pool it chose before: it must choose the same again
        List<HostSubnet> host = List.of(new HostSubnet(Ipv4Subnet.parse("10.213.0.0/24"), "nfb-0123456789a"),
                new HostSubnet(Ipv4Subnet.parse("10.213.1.0/24"), "nfb-0123456789b"));

        assertThat(AddressPlan.choosePool("auto", host).subnet()).hasToString("10.213.0.0/16");
        assertThat(AddressPlan.choosePool("10.213.0.0/16", host).subnet()).hasToString("10.213.0.0/16");
    }

    @Test
    void a_configured_pool_is_taken_as_it_is_when_free() {
        AddressPlan.Pool pool = AddressPlan.choosePool("10.77.0.0/16", List.of(ETH0, PODMAN));

        assertThat(pool.subnet()).hasToString("10.77.0.0/16");
        assertThat(pool.reason()).isEqualTo("configured");
    }

    @Test
    void a_configured_pool_that_overlaps_the_host_is_refused_naming_what() {
        // podman's default network was Nanofleet's default pool: every instance start then failed
        assertThatThrownBy(() -> AddressPlan.choosePool("10.88.0.0/16", List.of(ETH0, PODMAN))).isInstanceOf(
                PoolUnavailableException.class).hasMessageStartingWith(
                        "nanofleet.node.network.pool 10.88.0.0/16 overlaps 10.88.0.0/16 (cni-podman0) on this host");
        // a part of the pool is enough
        assertThatThrownBy(() -> AddressPlan.choosePool("192.0.0.0/16", List.of(ETH0))).hasMessageContaining(
                "overlaps 192.0.2.0/24 (eth0)");
    }

    @Test
    void a_pool_must_be_auto_or_a_network_holding_a_tenant_subnet() {
        assertThat(AddressPlan.isValid("auto")).isTrue();
        assertThat(AddressPlan.isValid("10.1.0.0/24")).isTrue();
        assertThat(AddressPlan.isValid("10.1.0.0/25")).isFalse();
        assertThat(AddressPlan.isValid("10.1.0/16")).isFalse();
        assertThat(AddressPlan.isValid("AUTO")).isFalse();
        assertThat(AddressPlan.isValid("")).isFalse();
        assertThatThrownBy(() -> AddressPlan.parse("10.1.0.0/25")).hasMessage("must hold at least one /24, not "
                + "10.1.0.0/25");
        assertThatThrownBy(() -> AddressPlan.parse("ten")).hasMessage(
                "must be auto or an IPv4 network like 10.213.0.0/16, not 'ten'");
    }

    @Test
    void a_tenant_gets_the_first_free_subnet_and_an_instance_the_lowest_free_address() {
        Ipv4Subnet pool = Ipv4Subnet.parse("10.213.0.0/16");
        assertThat(AddressPlan.tenantSubnet(pool, List.of(Ipv4Subnet.parse("10.213.0.0/24")))).contains(Ipv4Subnet
                .parse("10.213.1.0/24"));

        Ipv4Subnet subnet = Ipv4Subnet.parse("10.213.1.0/24");
        assertThat(AddressPlan.hostIndex(subnet, Set.of())).hasValue(2);
        assertThat(AddressPlan.hostIndex(subnet, Set.of(2, 3, 5))).hasValue(4);
        java.util.Set<Integer> all = new java.util.HashSet<>();
        for (int i = 2; i <= 254; i++) {
            all.add(i);
        }
        assertThat(AddressPlan.hostIndex(subnet, all)).isEmpty();
    }
}
