package dev.nanofleet.controlapi.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrivateRangeTest {

    @Test
    void the_default_range_holds_4096_tenant_node_subnets() {
        assertThat(PrivateRange.parse("10.192.0.0/12").subnets()).isEqualTo(4096);
    }

    @Test
    void the_first_free_subnet_is_the_lowest_24_nobody_holds() {
        PrivateRange range = PrivateRange.parse("10.192.0.0/12");

        assertThat(range.firstFreeSubnet(List.of())).contains("10.192.0.0/24");
        assertThat(range.firstFreeSubnet(List.of("10.192.0.0/24", "10.192.2.0/24"))).contains("10.192.1.0/24");
    }

    @Test
    void every_subnet_handed_out_one_after_another_is_distinct_until_the_range_is_full() {
        PrivateRange range = PrivateRange.parse("10.192.0.0/22");
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < range.subnets(); i++) {
            taken.add(range.firstFreeSubnet(taken).orElseThrow());
        }

        assertThat(taken).doesNotHaveDuplicates().containsExactly("10.192.0.0/24", "10.192.1.0/24", "10.192.2.0/24",
                "10.192.3.0/24");
        assertThat(range.firstFreeSubnet(taken)).isEmpty();
    }

    @Test
    void a_range_holds_its_own_24s_only() {
        PrivateRange range = PrivateRange.parse("10.192.0.0/12");

        assertThat(range.holds("10.207.255.0/24")).isTrue();
        assertThat(range.holds("10.208.0.0/24")).isFalse();
        assertThat(range.holds("10.192.0.0/23")).isFalse();
        assertThat(range.holds("not a subnet")).isFalse();
    }

    @Test
    void the_first_free_vni_is_the_lowest_from_one() {
        assertThat(PrivateRange.firstFreeVni(Set.of())).hasValue(1);
        assertThat(PrivateRange.firstFreeVni(Set.of(1, 2, 4))).hasValue(3);
    }

    @Test
    void a_range_with_host_bits_names_the_network_it_means() {
        assertThatThrownBy(() -> PrivateRange.parse("10.192.1.0/12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.192.0.0/12");
    }

    @Test
    void a_range_too_small_for_one_subnet_or_too_large_is_refused() {
        assertThatThrownBy(() -> PrivateRange.parse("10.192.0.0/25")).hasMessageContaining("/24");
        assertThatThrownBy(() -> PrivateRange.parse("10.0.0.0/7")).hasMessageContaining("/8");
    }

    @Test
    void a_range_that_is_no_network_is_refused() {
        assertThatThrownBy(() -> PrivateRange.parse(null)).hasMessageContaining("required");
        assertThatThrownBy(() -> PrivateRange.parse("10.192.0.0")).hasMessageContaining("IPv4 network");
        assertThatThrownBy(() -> PrivateRange.parse("10.192.0.0/x")).hasMessageContaining("IPv4 network");
        assertThatThrownBy(() -> PrivateRange.parse("10.300.0.0/16")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> PrivateRange.parse("10.1.0/16")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void an_agent_url_gives_its_ipv4_host_as_the_underlay_and_nothing_else_does() {
        assertThat(PrivateNetworks.underlay("http://10.230.0.11:9080")).contains("10.230.0.11");
        assertThat(PrivateNetworks.underlay("http://node-1.example:9080")).isEmpty();
        assertThat(PrivateNetworks.underlay(null)).isEmpty();
        assertThat(PrivateNetworks.underlay("::not a url")).isEmpty();
    }

    @Test
    void an_address_is_placed_in_its_24() {
        assertThat(PrivateNetworks.subnetOf("10.192.3.7")).isEqualTo("10.192.3.0/24");
        assertThat(PrivateNetworks.subnetOf("nonsense")).isEqualTo("nonsense");
    }
}
