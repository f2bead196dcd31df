package dev.nanofleet.controlapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeLogsQueryTest {

    @Test
    void defaults_are_the_agents_last_100_lines_without_following() {
        assertThat(NodeLogsService.query(null, null, null)).isEqualTo(new NodeLogsService.Query("agent", 100, false));
    }

    @Test
    void the_kernel_source_a_tail_and_follow_are_accepted_in_any_case() {
        assertThat(NodeLogsService.query("Kernel", "5", "TRUE"))
                .isEqualTo(new NodeLogsService.Query("kernel", 5, true));
        assertThat(NodeLogsService.query("agent", "10000", "false"))
                .isEqualTo(new NodeLogsService.Query("agent", 10000, false));
    }

    @Test
    void every_bad_parameter_is_named() {
        assertThatThrownBy(() -> NodeLogsService.query("syslog", "0", "yes")).isInstanceOfSatisfying(
                ProblemException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("source", "tail", "follow");
                    assertThat(e.errors().get(0).message()).contains("'syslog'", "agent or kernel");
                });
        assertThatThrownBy(() -> NodeLogsService.query(null, "many", null)).isInstanceOfSatisfying(
                ProblemException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("tail"));
    }

    @Test
    void only_the_detail_of_an_agents_problem_is_passed_on_as_text_and_short() {
        byte[] problem = "{\"title\":\"t\",\"detail\":\"kernel messages not readable on this node: no\\u0007pe\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] long_ = ("{\"detail\":\"" + "x".repeat(600) + "\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(AgentProblems.detail(problem, "default"))
                .isEqualTo("kernel messages not readable on this node: no pe");
        assertThat(AgentProblems.detail(long_, "default")).hasSize(AgentProblems.MAX_DETAIL + 3).endsWith("...");
        for (String junk : new String[]{"", "not json", "{\"detail\":3}", "{\"detail\":\" \"}", "[]"}) {
            assertThat(AgentProblems.detail(junk.getBytes(StandardCharsets.UTF_8), "default")).as(junk)
                    .isEqualTo("default");
        }
        assertThat(AgentProblems.detail(null, "default")).isEqualTo("default");
    }
}
