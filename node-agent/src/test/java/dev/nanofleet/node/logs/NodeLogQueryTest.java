package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class NodeLogQueryTest {

    @Test
    void without_parameters_it_reads_the_agents_last_hundred_lines_once() {
        assertThat(NodeLogQuery.parse(null, null, null))
                .isEqualTo(new NodeLogQuery(NodeLogQuery.Source.AGENT, 100, false));
    }

    @Test
    void the_kernel_source_a_tail_and_follow_are_read() {
        assertThat(NodeLogQuery.parse("kernel", "5", "true"))
                .isEqualTo(new NodeLogQuery(NodeLogQuery.Source.KERNEL, 5, true));
        assertThat(NodeLogQuery.parse(" Agent ", "10000", "FALSE"))
                .isEqualTo(new NodeLogQuery(NodeLogQuery.Source.AGENT, 10_000, false));
    }

    @Test
    void each_bad_parameter_is_named_with_what_is_wrong() {
        NodeLogQuery.Invalid invalid = catchThrowableOfType(NodeLogQuery.Invalid.class,
                () -> NodeLogQuery.parse("syslog", "0", "maybe"));

        assertThat(invalid.fields()).containsOnlyKeys("source", "tail", "follow");
        assertThat(invalid.fields().get("source")).contains("'syslog'", "agent", "kernel");
        assertThat(invalid.fields().get("tail")).contains("between 1 and 10000");
        assertThat(catchThrowableOfType(NodeLogQuery.Invalid.class, () -> NodeLogQuery.parse(null, "ten", null))
                .fields()).containsOnlyKeys("tail");
        assertThat(catchThrowableOfType(NodeLogQuery.Invalid.class, () -> NodeLogQuery.parse(null, "10001", null))
                .fields()).containsOnlyKeys("tail");
    }
}
