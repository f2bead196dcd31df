package dev.nanofleet.controlapi.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.kafka.PlacementRules.Verdict;
import dev.nanofleet.events.InstanceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlacementRulesTest {

    @ParameterizedTest
    @EnumSource(value = InstanceState.class, names = {"PENDING", "UNSCHEDULABLE"})
    void an_instance_waiting_for_a_node_takes_a_placement(InstanceState state) {
        assertThat(PlacementRules.placement(state, false, null, "test-a")).isEqualTo(Verdict.APPLY);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceState.class, names = {"SCHEDULED", "PULLING", "STARTING", "RUNNING", "STOPPING",
            "EXITED", "FAILED"})
    void a_placed_or_ended_instance_moves_to_another_node(InstanceState state) {
        assertThat(PlacementRules.placement(state, false, "test-a", "test-b")).isEqualTo(Verdict.APPLY);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceState.class, names = {"SCHEDULED", "PULLING", "STARTING", "RUNNING", "STOPPING",
            "EXITED", "FAILED"})
    void a_placement_on_the_node_it_already_has_changes_nothing(InstanceState state) {
        assertThat(PlacementRules.placement(state, false, "test-a", "test-a")).isEqualTo(Verdict.ALREADY);
    }

    @ParameterizedTest
    @EnumSource(InstanceState.class)
    void no_placement_reaches_an_instance_of_a_deleted_deployment(InstanceState state) {
        assertThat(PlacementRules.placement(state, true, "test-a", "test-b")).isEqualTo(Verdict.STOPPED_ON_REQUEST);
        assertThat(PlacementRules.placement(state, true, null, "test-b")).isEqualTo(Verdict.STOPPED_ON_REQUEST);
        assertThat(PlacementRules.unschedulable(state, true, null, "no room")).isEqualTo(Verdict.STOPPED_ON_REQUEST);
    }

    @Test
    void a_stopped_instance_stays_stopped() {
        assertThat(PlacementRules.placement(InstanceState.STOPPED, false, "test-a", "test-b"))
                .isEqualTo(Verdict.STOPPED_ON_REQUEST);
        assertThat(PlacementRules.placement(InstanceState.STOPPED, false, null, "test-b"))
                .isEqualTo(Verdict.STOPPED_ON_REQUEST);
        assertThat(PlacementRules.unschedulable(InstanceState.STOPPED, false, null, "no room"))
                .isEqualTo(Verdict.STOPPED_ON_REQUEST);
    }

    @ParameterizedTest
    @EnumSource(value = InstanceState.class, names = {"PENDING", "SCHEDULED", "PULLING", "STARTING", "RUNNING",
            "STOPPING", "EXITED", "FAILED"})
    void any_live_instance_can_become_unschedulable(InstanceState state) {
        assertThat(PlacementRules.unschedulable(state, false, null, "no room")).isEqualTo(Verdict.APPLY);
    }

    @Test
    void an_unschedulable_instance_takes_a_new_reason_but_a_repeated_one_changes_nothing() {
        assertThat(PlacementRules.unschedulable(InstanceState.UNSCHEDULABLE, false, "no room", "no room"))
                .isEqualTo(Verdict.ALREADY);
        assertThat(PlacementRules.unschedulable(InstanceState.UNSCHEDULABLE, false, "no room", "no hardware node"))
                .isEqualTo(Verdict.APPLY);
    }
}
