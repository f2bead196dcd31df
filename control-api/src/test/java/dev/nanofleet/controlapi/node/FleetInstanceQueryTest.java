package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.InstanceState;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class FleetInstanceQueryTest {

    @Test
    void no_parameters_ask_for_two_hundred_instances_that_have_not_ended_anywhere() {
        FleetInstanceQuery query = FleetInstanceQuery.parse(null, null, null, null).query();

        assertThat(query.limit()).isEqualTo(200);
        assertThat(query.node()).isNull();
        assertThat(query.tenant()).isNull();
        assertThat(query.states()).containsExactlyInAnyOrder(InstanceState.PENDING, InstanceState.UNSCHEDULABLE,
                InstanceState.SCHEDULED, InstanceState.PULLING, InstanceState.STARTING, InstanceState.RUNNING,
                InstanceState.RESTARTING, InstanceState.STOPPING);
    }

    @Test
    void states_are_the_apis_lower_case_names_comma_separated_in_any_case_with_spaces_around() {
        FleetInstanceQuery query = FleetInstanceQuery.parse("pending, Unschedulable ,failed", "test-a", "acme", "1000")
                .query();

        assertThat(query.states()).isEqualTo(
                EnumSet.of(InstanceState.PENDING, InstanceState.UNSCHEDULABLE, InstanceState.FAILED));
        assertThat(query.node()).isEqualTo("test-a");
        assertThat(query.tenant()).isEqualTo("acme");
        assertThat(query.limit()).isEqualTo(1000);
    }

    @Test
    void an_unknown_or_empty_state_is_named_with_the_states_there_are() {
        FleetInstanceQuery.Parsed unknown = FleetInstanceQuery.parse("running,sleeping", null, null, null);
        assertThat(unknown.query()).isNull();
        assertThat(unknown.errors()).extracting(FieldError::field).containsExactly("state");
        assertThat(unknown.errors().get(0).message()).contains("'sleeping'").contains("unschedulable");

        assertThat(FleetInstanceQuery.parse("running,", null, null, null).errors()).extracting(FieldError::field)
                .containsExactly("state");
        assertThat(FleetInstanceQuery.parse("", null, null, null).errors()).extracting(FieldError::field)
                .containsExactly("state");
        // what the client sent is echoed without its control characters
        assertThat(FleetInstanceQuery.parse("run\nning", null, null, null).errors().get(0).message())
                .contains("'run?ning'");
    }

    @Test
    void every_bad_parameter_is_named() {
        assertThat(FleetInstanceQuery.parse("bogus", "a\u0000b", "x".repeat(254), "0").errors())
                .extracting(FieldError::field).containsExactly("state", "limit", "node", "tenant");
        assertThat(FleetInstanceQuery.parse(null, null, null, "1001").errors()).extracting(FieldError::field)
                .containsExactly("limit");
        assertThat(FleetInstanceQuery.parse(null, null, null, "ten").errors()).extracting(FieldError::field)
                .containsExactly("limit");
        assertThat(FleetInstanceQuery.parse(null, null, null, "-1").errors()).extracting(FieldError::field)
                .containsExactly("limit");
    }

    @Test
    void an_empty_node_or_tenant_filters_nothing() {
        FleetInstanceQuery query = FleetInstanceQuery.parse(null, "", "", null).query();

        assertThat(query.node()).isNull();
        assertThat(query.tenant()).isNull();
    }
}
