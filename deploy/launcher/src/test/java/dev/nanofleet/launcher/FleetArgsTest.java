package dev.nanofleet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetArgsTest {

    @TempDir
    Path home;

    @Test
    void up_without_nodes_runs_one_node_as_before() {
        FleetArgs args = FleetArgs.parse(List.of("up"));

        assertThat(args.command()).isEqualTo("up");
        assertThat(args.nodeCount(layout())).isEqualTo(1);
    }

    @Test
    void up_takes_a_node_count_in_either_form() {
        assertThat(FleetArgs.parse(List.of("up", "--nodes", "3")).nodeCount(layout())).isEqualTo(3);
        assertThat(FleetArgs.parse(List.of("up", "--nodes=2")).nodeCount(layout())).isEqualTo(2);
    }

    @Test
    void down_and_status_use_the_node_count_up_recorded_and_up_without_nodes_is_one_again() {
        FleetArgs.record(layout(), 3);

        assertThat(FleetArgs.parse(List.of("up")).nodeCount(layout())).isEqualTo(1);

        assertThat(FleetArgs.parse(List.of("down", "--purge")).nodeCount(layout())).isEqualTo(3);
        assertThat(FleetArgs.parse(List.of("down", "--purge")).purge()).isTrue();
        assertThat(FleetArgs.parse(List.of()).command()).isEqualTo("status");
        assertThat(FleetArgs.parse(List.of("status")).nodeCount(layout())).isEqualTo(3);
    }

    @Test
    void a_node_count_outside_one_to_eight_or_not_a_number_is_refused_naming_the_option() {
        for (String bad : List.of("0", "9", "three", "-1")) {
            assertThatThrownBy(() -> FleetArgs.parse(List.of("up", "--nodes", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--nodes must be a number from 1 to 8, not '" + bad + "'");
        }
        assertThatThrownBy(() -> FleetArgs.parse(List.of("up", "--nodes")))
                .hasMessage("--nodes must be a number from 1 to 8, not ''");
    }

    @Test
    void an_unknown_command_or_an_option_of_another_command_is_refused() {
        assertThatThrownBy(() -> FleetArgs.parse(List.of("upp"))).hasMessageStartingWith("unknown command upp");
        assertThatThrownBy(() -> FleetArgs.parse(List.of("down", "--nodes", "3")))
                .hasMessageStartingWith("unknown option --nodes for down");
        assertThatThrownBy(() -> FleetArgs.parse(List.of("up", "--purge")))
                .hasMessageStartingWith("unknown option --purge for up");
    }

    @Test
    void a_corrupt_record_is_refused_rather_than_guessed() throws Exception {
        Files.writeString(FleetArgs.nodesRecord(layout()), "many\n");

        assertThatThrownBy(() -> FleetArgs.parse(List.of("status")).nodeCount(layout()))
                .hasMessageContaining("--nodes must be a number");
    }

    private Layout layout() {
        return new Layout(home, home);
    }
}
