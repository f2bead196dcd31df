package dev.nanofleet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./fleet up} describes, without starting anything. */
class LocalPlatformTest {

    @TempDir
    Path home;

    @Test
    void one_node_is_todays_platform_on_loopback_with_no_node_network() {
        Platform platform = LocalPlatform.create(new Layout(home, home), FleetPorts.defaults(),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(platform.environment()).containsEntry("NANOFLEET_API_URL", "http://127.0.0.1:18081")
                .containsEntry("NANOFLEET_REGISTRY", "127.0.0.1:15000")
                .containsEntry("NANOFLEET_DEMO_IMAGE", "127.0.0.1:15000/demo/hello:1")
                .containsEntry("NANOFLEET_NODE_AGENT_URL", "http://127.0.0.1:18083")
                .containsEntry("NANOFLEET_EDGE_URL", "https://apps.localhost:18443")
                .containsEntry("NANOFLEET_APPS_DOMAIN", "apps.localhost").containsEntry("NANOFLEET_EDGE_PORT", "18443")
                .containsEntry("NANOFLEET_EDGE_CA", home.resolve("data/edge/ca/ca.crt").toString())
                .doesNotContainKey("NANOFLEET_NODES");
    }

    @Test
    void each_agent_is_told_the_file_its_output_goes_to_so_operators_can_read_it_through_the_api() {
        Layout layout = new Layout(home, home);
        for (LocalNode node : LocalPlatform.nodes(layout, 2)) {
            assertThat(LocalPlatform.agentConfig(layout, node, "http://127.0.0.1:18081", "http://10.0.0.2:18083"))
                    .containsEntry("NANOFLEET_NODE_LOGS_AGENT_SOURCE", "file")
                    .containsEntry("NANOFLEET_NODE_LOGS_AGENT_FILE",
                            home.resolve("logs").resolve(node.component() + ".log").toAbsolutePath().toString());
        }
    }

    @Test
    void a_node_count_outside_one_to_eight_is_refused() {
        for (int bad : new int[]{0, 9}) {
            assertThatThrownBy(() -> LocalPlatform.create(new Layout(home, home), FleetPorts.defaults(),
                    new PrintStream(new ByteArrayOutputStream()), bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--nodes must be 1 to 8, not " + bad);
        }
    }
}
