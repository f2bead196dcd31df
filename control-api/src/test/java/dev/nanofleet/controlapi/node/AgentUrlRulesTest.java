package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentUrlRulesTest {

    private final AgentUrlRules rules = new AgentUrlRules(List.of("10.20.0.0/16", "fd00::/8"));

    @Test
    void an_agent_on_the_address_the_node_registers_from_is_accepted() {
        assertThat(rules.refusal("http://192.0.2.7:8081", "192.0.2.7")).isNull();
        assertThat(rules.refusal("http://192.0.2.7:8081/", "192.0.2.7")).isNull();
        assertThat(rules.refusal("http://[2001:db8::7]:8081", "2001:db8::7")).isNull();
        assertThat(rules.refusal("http://192.0.2.7:8081", "::ffff:192.0.2.7")).isNull();
    }

    @Test
    void an_agent_inside_a_configured_agent_network_is_accepted_from_any_address() {
        assertThat(rules.refusal("http://10.20.3.4:8081", "192.0.2.7")).isNull();
        assertThat(rules.refusal("http://[fd00::4]:8081", "192.0.2.7")).isNull();
        assertThat(rules.refusal("http://10.21.3.4:8081", "192.0.2.7")).contains("neither the address it registered");
    }

    @Test
    void another_hosts_address_is_refused() {
        assertThat(rules.refusal("http://192.0.2.8:8081", "192.0.2.7")).contains("192.0.2.8")
                .contains("192.0.2.7");
        assertThat(rules.refusal("http://127.0.0.2:8081", "127.0.0.1")).isNotNull();
        assertThat(rules.refusal("http://0.0.0.0:8081", "0.0.0.0")).contains("one host");
    }

    @Test
    void a_url_that_would_add_a_path_a_query_or_a_login_to_control_apis_requests_is_refused() {
        String other = UUID.randomUUID().toString();
        assertThat(rules.refusal("http://192.0.2.7:8081/v1/agent/instances/" + other + "/logs?tail=5&x=",
                "192.0.2.7")).startsWith("must not have a");
        assertThat(rules.refusal("http://192.0.2.7:8081/v1/agent/instances/" + other, "192.0.2.7")).contains("path");
        assertThat(rules.refusal("http://192.0.2.7:8081?x=", "192.0.2.7")).contains("query");
        assertThat(rules.refusal("http://192.0.2.7:8081#x", "192.0.2.7")).contains("fragment");
        assertThat(rules.refusal("http://user:pw@192.0.2.7:8081", "192.0.2.7")).contains("user information");
    }

    @Test
    void names_other_schemes_and_impossible_ports_are_refused() {
        assertThat(rules.refusal("http://node-a.example:8081", "192.0.2.7")).contains("by IP address");
        assertThat(rules.refusal("http://localhost:8081", "127.0.0.1")).contains("by IP address");
        assertThat(rules.refusal("https://192.0.2.7:8081", "192.0.2.7")).contains("http URL");
        assertThat(rules.refusal("ftp://node", "192.0.2.7")).contains("http URL");
        assertThat(rules.refusal("http://192.0.2.7:99999", "192.0.2.7")).contains("65535");
        assertThat(rules.refusal("http://192.0.2.7:0", "192.0.2.7")).contains("65535");
        assertThat(rules.refusal("http://999.0.2.7:80", "192.0.2.7")).contains("by IP address");
        assertThat(rules.refusal("not a url", "192.0.2.7")).isNotNull();
    }

    @Test
    void request_urls_are_built_from_parts_with_the_path_encoded() {
        AgentAddress agent = AgentUrlRules.parse("http://192.0.2.7:8081/");

        assertThat(agent.uri("/v1/agent/instances/a b/logs", "tail=5&follow=false").toString())
                .isEqualTo("http://192.0.2.7:8081/v1/agent/instances/a%20b/logs?tail=5&follow=false");
        assertThat(AgentUrlRules.parse("http://[2001:db8::7]:8081").uri("/x", null).toString())
                .isEqualTo("http://[2001:db8:0:0:0:0:0:7]:8081/x");
    }

    @Test
    void an_agent_network_that_is_not_a_cidr_is_refused_naming_it() {
        assertThatThrownBy(() -> new AgentUrlRules(List.of("10.0.0.0"))).hasMessageContaining("'10.0.0.0'");
        assertThatThrownBy(() -> new AgentUrlRules(List.of("10.0.0.0/33"))).hasMessageContaining("between 0 and 32");
        assertThatThrownBy(() -> new AgentUrlRules(List.of("example.com/8"))).hasMessageContaining("not a CIDR");
    }
}
