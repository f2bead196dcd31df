package dev.nanofleet.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InstanceProcessTest {

    /** What {@code umoci unpack} writes for an image with User=app (1000, in groups staff and audio), WorkingDir=/srv. */
    private static final String UNPACKED = """
            {"terminal":true,"user":{"uid":1000,"gid":1000,"additionalGids":[50,63]},
             "args":["/bin/busybox","id"],
             "env":["PATH=/usr/local/bin:/bin","TERM=xterm","A=image","HOME=/home/app"],"cwd":"/srv"}""";

    private static Assignment request(List<String> command, Map<String, String> env) {
        return new Assignment(UUID.randomUUID(), UUID.randomUUID(), "acme", "r/app:1", Isolation.HARDWARE,
                new Resources(100, 32), command, env, DesiredState.RUNNING);
    }

    private static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void the_images_entrypoint_cmd_env_working_dir_user_and_groups_are_kept() throws IOException {
        InstanceProcess p = InstanceProcess.resolve(json(UNPACKED), request(List.of(), Map.of()));

        assertThat(p.args()).containsExactly("/bin/busybox", "id");
        assertThat(p.envList()).containsExactly("PATH=/usr/local/bin:/bin", "TERM=xterm", "A=image", "HOME=/home/app");
        assertThat(p.cwd()).isEqualTo("/srv");
        assertThat(p.uid()).isEqualTo(1000);
        assertThat(p.gid()).isEqualTo(1000);
        assertThat(p.additionalGids()).containsExactly(50L, 63L);
    }

    @Test
    void the_requests_command_replaces_entrypoint_and_cmd_and_its_env_wins_over_the_images() throws IOException {
        InstanceProcess p = InstanceProcess.resolve(json(UNPACKED),
                request(List.of("sh", "-c", "exit 3"), Map.of("A", "request", "B", "new")));

        assertThat(p.args()).containsExactly("sh", "-c", "exit 3");
        assertThat(p.envList()).containsExactly("PATH=/usr/local/bin:/bin", "TERM=xterm", "A=request",
                "HOME=/home/app", "B=new");
        assertThat(p.uid()).isEqualTo(1000);
    }

    @Test
    void the_configs_capabilities_are_kept_less_the_ones_no_instance_gets() throws IOException {
        InstanceProcess p = InstanceProcess.resolve(json("""
                {"args":["x"],"capabilities":{"bounding":["CAP_KILL","CAP_NET_RAW"],"ambient":[]}}"""),
                request(List.of(), Map.of()));

        assertThat(p.capabilities()).containsExactly(Map.entry("bounding", List.of("CAP_KILL")),
                Map.entry("ambient", List.of()));
        assertThat(InstanceProcess.resolve(json("{\"args\":[\"x\"]}"), request(List.of(), Map.of()))
                .capabilities()).isEmpty();
    }

    @Test
    void an_image_without_user_path_or_working_dir_runs_as_root_in_the_root_with_the_default_path() throws IOException {
        InstanceProcess p = InstanceProcess.resolve(json("{\"args\":[\"/bin/true\"]}"), request(List.of(), null));

        assertThat(p.uid()).isZero();
        assertThat(p.gid()).isZero();
        assertThat(p.additionalGids()).isEmpty();
        assertThat(p.cwd()).isEqualTo("/");
        assertThat(p.env()).containsEntry("PATH", InstanceProcess.DEFAULT_PATH);
    }

    @Test
    void an_image_with_nothing_to_run_or_a_malformed_user_or_working_dir_is_refused() {
        assertThatThrownBy(() -> InstanceProcess.resolve(json("{\"args\":[]}"), request(List.of(), Map.of())))
                .hasMessageContaining("no entrypoint or cmd");
        assertThatThrownBy(() -> InstanceProcess.resolve(null, request(null, Map.of())))
                .hasMessageContaining("no entrypoint or cmd");
        assertThatThrownBy(() -> InstanceProcess.resolve(
                json("{\"args\":[\"x\"],\"user\":{\"uid\":-1,\"gid\":0}}"), request(List.of(), Map.of())))
                .hasMessageContaining("invalid uid");
        assertThatThrownBy(() -> InstanceProcess.resolve(
                json("{\"args\":[\"x\"],\"user\":{\"uid\":1,\"gid\":\"staff\"}}"), request(List.of(), Map.of())))
                .hasMessageContaining("invalid gid");
        assertThatThrownBy(() -> InstanceProcess.resolve(json("{\"args\":[\"x\"],\"cwd\":\"srv\"}"),
                request(List.of(), Map.of()))).hasMessageContaining("relative working dir");
    }
}
