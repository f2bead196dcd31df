package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.NodeRegistration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeRegistrationRulesTest {

    private static List<String> fields(Map<String, String> labels, String agentVersion, String agentUrl) {
        return NodeService.validate(
                new NodeRegistration(new Resources(4000, 8192), new HashSet<>(Set.of(Isolation.SHARED)), labels,
                        agentVersion, agentUrl))
                .stream().map(FieldError::field).toList();
    }

    @Test
    void a_registration_within_every_bound_is_valid() {
        assertThat(fields(Map.of("zone", "a"), "0.1.0", "http://10.0.0.5:7070")).isEmpty();
        assertThat(fields(null, null, "https://node-1.example")).isEmpty();
    }

    // agentUrl has rules of its own (which host, which port): AgentUrlRulesTest

    @Test
    void a_control_character_in_a_label_or_the_agent_version_is_named() {
        assertThat(fields(Map.of("zone", "a\0"), "0.1.0", null)).containsExactly("labels.zone");
        assertThat(fields(Map.of("zo\0ne", "a"), "0.1.0", null)).containsExactly("labels.zo\0ne");
        assertThat(fields(Map.of("", "a"), "0.1.0", null)).containsExactly("labels.");
        assertThat(fields(Map.of(), "0.1\n", null)).containsExactly("agentVersion");
    }

    @Test
    void labels_are_bounded_in_count_and_length_so_node_events_stay_small() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= NodeLabels.MAX_LABELS; i++) {
            many.put("l" + i, "v");
        }
        assertThat(fields(many, "0.1.0", null)).containsExactly("labels");
        assertThat(fields(Map.of("zone", "v".repeat(NodeLabels.MAX_LABEL_LENGTH + 1)), "0.1.0", null))
                .containsExactly("labels.zone");
    }

    @Test
    void isolations_in_a_set_that_refuses_null_lookups_are_checked_without_failing() {
        NodeRegistration immutable = new NodeRegistration(new Resources(4000, 8192),
                Set.of(Isolation.SHARED, Isolation.HARDWARE), Map.of(), "0.1.0", null);
        assertThat(NodeService.validate(immutable)).isEmpty();
    }
}
