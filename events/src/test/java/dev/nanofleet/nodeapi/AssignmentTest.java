package dev.nanofleet.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    @Test
    void an_assignment_printed_in_a_log_names_its_env_variables_but_not_their_values() {
        Assignment assignment = new Assignment(UUID.randomUUID(), UUID.randomUUID(), "globex", "busybox:1.36",
                Isolation.SHARED, new Resources(100, 64), List.of("sh"), Map.of("API_TOKEN", "s3cret-value"),
                DesiredState.RUNNING);

        assertThat(assignment.toString()).contains("API_TOKEN").doesNotContain("s3cret-value");
    }

    @Test
    void an_assignment_without_an_egress_policy_allows_all_egress() throws Exception {
        Assignment written = new Assignment(UUID.randomUUID(), UUID.randomUUID(), "globex", "busybox:1.36",
                Isolation.SHARED, new Resources(100, 64), null, Map.of(), DesiredState.RUNNING);
        var json = EventCodec.mapper().valueToTree(written);
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).remove("egress");

        Assignment read = EventCodec.mapper().treeToValue(json, Assignment.class);

        assertThat(read.egress()).isEqualTo(EgressPolicy.ALLOW_ALL);
    }

    @Test
    void an_egress_allow_list_travels_to_the_node_as_it_was_given() throws Exception {
        EgressPolicy policy = EgressPolicy.allowList(List.of(new EgressPolicy.Destination("203.0.113.0/24", List.of(
                443)), new EgressPolicy.Destination("198.51.100.7/32", null)));
        Assignment written = new Assignment(UUID.randomUUID(), UUID.randomUUID(), "globex", "busybox:1.36",
                Isolation.SHARED, new Resources(100, 64), null, Map.of(), DesiredState.RUNNING).withEgress(policy);

        Assignment read = EventCodec.mapper().readValue(EventCodec.mapper().writeValueAsBytes(written),
                Assignment.class);

        assertThat(read.egress()).isEqualTo(policy);
        assertThat(read.egress().allow().get(1).ports()).isEmpty();
    }

    @Test
    void destinations_given_with_a_mode_other_than_allow_list_are_dropped() {
        EgressPolicy policy = new EgressPolicy(EgressPolicy.Mode.DENY_ALL, List.of(new EgressPolicy.Destination(
                "203.0.113.0/24", List.of())));

        assertThat(policy.allow()).isEmpty();
    }
}
