package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceNetwork.PortBinding;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.UsageReport;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NodeStatusRulesTest {

    private static List<String> fields(InstanceStatusReport report) {
        return NodeStatusRules.validate(report).stream().map(FieldError::field).toList();
    }

    @Test
    void a_state_is_required() {
        assertThat(fields(new InstanceStatusReport(null, null, null))).containsExactly("state");
        assertThat(fields((InstanceStatusReport) null)).containsExactly("");
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
        assertThat(NodeStatusRules.changes(InstanceState.SCHEDULED, null, null, 0, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null))).isTrue();
    }

    @Test
    void a_repeated_report_changes_nothing() {
        assertThat(NodeStatusRules.changes(InstanceState.RUNNING, null, null, 0, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null))).isFalse();
    }

    @Test
    void an_ended_instance_stays_ended() {
        assertThat(NodeStatusRules.changes(InstanceState.EXITED, null, 0, 0, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null))).isFalse();
    }

    @Test
    void the_same_state_with_a_new_exit_code_is_news() {
        assertThat(NodeStatusRules.changes(InstanceState.STOPPING, null, null, 0, null,
                new InstanceStatusReport(InstanceState.STOPPING, "SIGTERM sent", null))).isTrue();
    }

    @Test
    void a_restart_or_a_new_network_is_news() {
        assertThat(NodeStatusRules.changes(InstanceState.RUNNING, null, null, 0, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null, 1, null))).isTrue();
        InstanceNetwork network = new InstanceNetwork("10.88.0.2", List.of(new PortBinding(8080, 20001)));
        assertThat(NodeStatusRules.changes(InstanceState.RUNNING, null, null, 0, null,
                new InstanceStatusReport(InstanceState.RUNNING, null, null, 0, network))).isTrue();
        assertThat(NodeStatusRules.changes(InstanceState.RUNNING, null, null, 0, network,
                new InstanceStatusReport(InstanceState.RUNNING, null, null, 0, network))).isFalse();
    }

    @Test
    void a_network_must_name_an_address_and_real_ports() {
        assertThat(fields(new InstanceStatusReport(InstanceState.RUNNING, null, null, 0,
                new InstanceNetwork("10.88.0.256", List.of(new PortBinding(0, 20001))))))
                .containsExactly("network.address", "network.ports[0]");
        assertThat(fields(new InstanceStatusReport(InstanceState.RUNNING, null, null, -1, null)))
                .containsExactly("restarts");
    }

    @Test
    void usage_samples_name_their_bad_fields() {
        assertThat(NodeStatusRules.validate((UsageReport) null)).extracting(FieldError::field)
                .containsExactly("samples");
        UsageReport report = new UsageReport(List.of(new UsageReport.Sample(UUID.randomUUID(), Instant.now(), 5, 6),
                new UsageReport.Sample(null, null, -1, -2)));
        assertThat(NodeStatusRules.validate(report)).extracting(FieldError::field).containsExactly(
                "samples[1].instanceId", "samples[1].sampledAt", "samples[1].cpuNanos", "samples[1].memoryBytes");
    }
}
