package dev.nanofleet.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

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
}
