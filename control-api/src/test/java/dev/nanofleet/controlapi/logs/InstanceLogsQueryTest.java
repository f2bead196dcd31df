package dev.nanofleet.controlapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import org.junit.jupiter.api.Test;

class InstanceLogsQueryTest {

    @Test
    void defaults_are_the_last_100_lines_without_following() {
        assertThat(InstanceLogsService.query(null, null)).isEqualTo(new InstanceLogsService.Query(100, false));
    }

    @Test
    void tail_from_1_to_10000_and_follow_in_any_case_are_accepted() {
        assertThat(InstanceLogsService.query("1", "TRUE")).isEqualTo(new InstanceLogsService.Query(1, true));
        assertThat(InstanceLogsService.query("10000", "false")).isEqualTo(new InstanceLogsService.Query(10000, false));
    }

    @Test
    void every_bad_parameter_is_named() {
        assertThatThrownBy(() -> InstanceLogsService.query("10001", "yes")).isInstanceOfSatisfying(
                ProblemException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("tail", "follow"));
        assertThatThrownBy(() -> InstanceLogsService.query("0", null)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> InstanceLogsService.query("many", null)).isInstanceOf(ProblemException.class);
    }
}
