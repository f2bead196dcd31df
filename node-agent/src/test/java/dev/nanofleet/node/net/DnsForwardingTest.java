package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.net.DnsForwarding.Route;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.EgressPolicy.Destination;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsForwardingTest {

    private static final Map<String, EgressPolicy> ON_BRIDGE = Map.of("10.213.4.2", EgressPolicy.ALLOW_ALL,
            "10.213.4.3", EgressPolicy.DENY_ALL, "10.213.4.4", EgressPolicy.allowList(List.of(new Destination(
                    "198.51.100.0/24", List.of(443)))));

    @Test
    void internal_names_are_answered_from_the_directory_whoever_asks() {
        for (String source : List.of("10.213.4.2", "10.213.4.3", "10.213.4.99")) {
            assertThat(route("web.globex.internal", source)).as(source).isEqualTo(Route.INTERNAL);
            assertThat(route("WEB.Other.INTERNAL", source)).as(source).isEqualTo(Route.INTERNAL);
        }
    }

    @Test
    void other_names_are_forwarded_for_instances_that_may_leave_the_node() {
        assertThat(route("api.example.com", "10.213.4.2")).as("allow-all").isEqualTo(Route.FORWARD);
        assertThat(route("api.example.com", "10.213.4.4")).as("allow-list").isEqualTo(Route.FORWARD);
    }

    @Test
    void other_names_are_refused_to_deny_all_instances_and_to_addresses_no_instance_has() {
        assertThat(route("api.example.com", "10.213.4.3")).as("deny-all").isEqualTo(Route.REFUSE);
        assertThat(route("api.example.com", "10.213.4.99")).as("no instance").isEqualTo(Route.REFUSE);
        assertThat(route("internal.example.com", "10.213.4.3")).as("internal, but not the zone").isEqualTo(
                Route.REFUSE);
    }

    private static Route route(String name, String source) {
        byte[] query = DnsAnswersTest.query(name, DnsAnswers.TYPE_A);
        DnsQuery.Question q = (DnsQuery.Question) DnsQuery.read(query, query.length);
        return DnsForwarding.route(q, source, ON_BRIDGE);
    }
}
