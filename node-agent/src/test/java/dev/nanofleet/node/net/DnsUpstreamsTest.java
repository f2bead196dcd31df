package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsUpstreamsTest {

    @Test
    void an_entry_is_an_ipv4_address_with_port_53_unless_one_is_given() {
        assertThat(DnsUpstreams.parse(List.of("192.0.2.53", " 127.0.0.53:5353 "))).extracting(DnsUpstreams::text)
                .containsExactly("192.0.2.53:53", "127.0.0.53:5353");
    }

    @Test
    void names_ipv6_bad_ports_and_bad_octets_are_refused_naming_the_entry() {
        for (String bad : List.of("dns.example.test", "::1", "[::1]:53", "192.0.2.1:0", "192.0.2.1:65536",
                "192.0.2.1:x", "192.0.2.300", "192.0.2", "", "192.0.2.1:53:53")) {
            assertThatThrownBy(() -> DnsUpstreams.parse(List.of(bad))).as(bad).isInstanceOf(
                    IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void more_than_three_are_refused() {
        assertThatThrownBy(() -> DnsUpstreams.parse(List.of("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4")))
                .hasMessageContaining("at most 3");
    }

    @Test
    void the_hosts_resolv_conf_gives_its_first_three_ipv4_nameservers_and_skips_the_rest() {
        String resolvConf = """
                # generated
                search corp.example.test
                nameserver 127.0.0.53
                nameserver fe80::1%eth0
                nameserver   192.0.2.2
                nameserver 2001:db8::53
                options edns0
                nameserver 192.0.2.3
                nameserver 192.0.2.4
                nameserverx 192.0.2.5
                """;

        assertThat(DnsUpstreams.fromResolvConf(resolvConf)).extracting(DnsUpstreams::text).containsExactly(
                "127.0.0.53:53", "192.0.2.2:53", "192.0.2.3:53");
        assertThat(DnsUpstreams.fromResolvConf("")).isEmpty();
    }

    @Test
    void an_upstream_in_a_platform_network_is_never_asked() {
        List<InetSocketAddress> upstreams = DnsUpstreams.parse(List.of("10.213.4.1", "127.0.0.53", "10.192.7.9:53"));

        assertThat(DnsUpstreams.outside(upstreams, List.of(Ipv4Subnet.parse("10.213.0.0/16"), Ipv4Subnet.parse(
                "10.192.0.0/12")))).extracting(DnsUpstreams::text).containsExactly("127.0.0.53:53");
    }
}
