package dev.nanofleet.controlapi.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EdgePortRangeTest {

    @Test
    void a_range_is_first_dash_last_with_both_included() {
        EdgePortRange range = EdgePortRange.parse(" 20000 - 20999 ");

        assertThat(range.first()).isEqualTo(20000);
        assertThat(range.last()).isEqualTo(20999);
        assertThat(range.size()).isEqualTo(1000);
        assertThat(range).hasToString("20000-20999");
        assertThat(EdgePortRange.parse("30000-30000").size()).isEqualTo(1);
    }

    @Test
    void the_lowest_free_port_is_taken_and_none_when_all_are_used() {
        EdgePortRange range = EdgePortRange.parse("20000-20002");

        assertThat(range.firstFree(Set.of())).contains(20000);
        assertThat(range.firstFree(Set.of(20000, 20002, 19999))).contains(20001);
        assertThat(range.firstFree(Set.of(20000, 20001, 20002))).isEmpty();
    }

    @Test
    void a_range_that_is_not_first_dash_last_within_1024_to_65535_is_refused_naming_the_value() {
        assertThatThrownBy(() -> EdgePortRange.parse("20000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'20000'");
        assertThatThrownBy(() -> EdgePortRange.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EdgePortRange.parse("20999-20000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first <= last");
        assertThatThrownBy(() -> EdgePortRange.parse("80-90")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024-65535");
        assertThatThrownBy(() -> EdgePortRange.parse("60000-70000")).isInstanceOf(IllegalArgumentException.class);
    }
}
