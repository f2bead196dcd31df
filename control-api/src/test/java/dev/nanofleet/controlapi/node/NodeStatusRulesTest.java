package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import org.junit.jupiter.api.Test;

class NodeStatusRulesTest {

    private static java.util.List<String> fields(InstanceStatusReport report) {
        return NodeStatusRules.validate(report).stream().map(FieldError::field).toList();
    }

    @Test
    void a_state_is_required() {
        assertThat(fields(new InstanceStatusReport(null, null, null))).containsExactly("state");
        assertThat(fields(null)).containsExactly("");
    }

    @Test
    void a_failure_needs_a_reason() {
        assertThat(fields(new InstanceStatusReport(InstanceState.FAILED, " ", null))).containsExactly("reason");
        assertThat(fields(new InstanceStatusReport(InstanceState.FAILED, "image not found", null))).isEmpty();
    }

    @Test
    void nodes_cannot_report_states_only_the_control_plane_sets() {
        for (InstanceState state : NodeStatusRules.CONTROL_PLANE_STATES) {
            assertThat(fields(new InstanceStatusReport(state, null, null))).containsExactly("state");
        }
        assertThat(fields(new InstanceStatusReport(InstanceState.RUNNING, null, null))).isEmpty();
    }

    @Test
    void over_long_reasons_are_refused() {
        assertThat(fields(new InstanceStatusReport(InstanceState.EXITED, "x".repeat(2049), 1)))
                .containsExactly("reason");
    }

    @Test
    void a_new_state_changes_the_instance() {
        assertThat(NodeStatusRules.changes(InstanceState.SCHEDULED, null, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null))).isTrue();
    }

    @Test
    void a_repeated_report_changes_nothing() {
        assertThat(NodeStatusRules.changes(InstanceState.RUNNING, null, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null))).isFalse();
    }

    @Test
    void an_ended_instance_stays_ended() {
        assertThat(NodeStatusRules.changes(InstanceState.EXITED, null, 0,
                new InstanceStatusReport(InstanceState.RUNNING, null, null))).isFalse();
    }

    @Test
    void the_same_state_with_a_new_exit_code_is_news() {
        assertThat(NodeStatusRules.changes(InstanceState.STOPPING, null, null,
                new InstanceStatusReport(InstanceState.STOPPING, "SIGTERM sent", null))).isTrue();
    }
}
