package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class DeployRequestTest {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private static DeployRequest.Flags none() {
        return new DeployRequest.Flags(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void flags_alone_make_the_api_create_body() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        ObjectNode body = DeployRequest.merge(null, new DeployRequest.Flags("hello", "reg/hello:1", 2, 250, 64,
                "SHARED", List.of(PortFlag.parse("8080"), PortFlag.parse("9090")), env, Map.of("DB_PASSWORD", "s3cret"),
                List.of("/bin/sh", "-c", "x"),
                "never"), json);

        assertThat(body).isEqualTo(json.readTree("""
                {"name":"hello","image":"reg/hello:1","replicas":2,"resources":{"cpuMillis":250,"memoryMiB":64},
                 "isolation":"shared","ports":[{"containerPort":8080},{"containerPort":9090}],"env":{"A":"1"},
                 "secrets":{"DB_PASSWORD":"s3cret"},"command":["/bin/sh","-c","x"],"restartPolicy":{"mode":"never"}}
                """));
    }

    @Test
    void a_yaml_file_is_read_as_the_create_body_and_flags_override_its_values() throws IOException {
        Path file = dir.resolve("nanofleet.yaml");
        Files.writeString(file, """
                name: hello
                image: reg/hello:1
                replicas: 1
                resources: {cpuMillis: 250, memoryMiB: 64}
                isolation: shared
                env: {A: from-file, B: kept}
                ports: [{containerPort: 8080}]
                restartPolicy: {mode: on-failure, maxRetries: 3}
                """);

        ObjectNode body = DeployRequest.merge(DeployRequest.read(file, json), new DeployRequest.Flags(null, null, 3,
                null, 128, null, List.of(PortFlag.parse("9090")), Map.of("A", "from-flag"), null, null, "always"),
                json);

        assertThat(body).isEqualTo(json.readTree("""
                {"name":"hello","image":"reg/hello:1","replicas":3,"resources":{"cpuMillis":250,"memoryMiB":128},
                 "isolation":"shared","env":{"A":"from-flag","B":"kept"},"ports":[{"containerPort":9090}],
                 "restartPolicy":{"mode":"always","maxRetries":3}}
                """));
    }

    @Test
    void a_toml_file_is_read_like_a_yaml_one() throws IOException {
        Path file = dir.resolve("nanofleet.toml");
        Files.writeString(file, """
                name = "hello"
                image = "reg/hello:1"
                replicas = 2
                isolation = "hardware"
                command = ["/bin/sh", "-c", "echo hi"]

                [resources]
                cpuMillis = 500
                memoryMiB = 96

                [env]
                GREETING = "hi"
                """);

        ObjectNode body = DeployRequest.merge(DeployRequest.read(file, json), none(), json);

        assertThat(body).isEqualTo(json.readTree("""
                {"name":"hello","image":"reg/hello:1","replicas":2,"isolation":"hardware",
                 "command":["/bin/sh","-c","echo hi"],"resources":{"cpuMillis":500,"memoryMiB":96},
                 "env":{"GREETING":"hi"}}
                """));
    }

    @Test
    void the_file_read_is_not_changed_by_merging() throws IOException {
        Path file = dir.resolve("nanofleet.json");
        Files.writeString(file, "{\"name\":\"hello\",\"env\":{\"A\":\"1\"}}");
        ObjectNode fromFile = DeployRequest.read(file, json);

        DeployRequest.merge(fromFile, new DeployRequest.Flags("other", null, null, null, null, null, null, Map.of("B",
                "2"), null, null, null), json);

        assertThat(fromFile).isEqualTo(json.readTree("{\"name\":\"hello\",\"env\":{\"A\":\"1\"}}"));
    }

    @Test
    void a_file_that_is_not_one_object_is_a_usage_error() throws IOException {
        Path file = dir.resolve("nanofleet.yaml");
        Files.writeString(file, "- just\n- a list\n");

        assertThatThrownBy(() -> DeployRequest.read(file, json)).isInstanceOfSatisfying(CliException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE)).hasMessageContaining("one object");
    }

    private static DeployRequest.Flags egress(String mode, List<String> allow) {
        return new DeployRequest.Flags(null, null, null, null, null, null, null, null, null, null, null, mode, allow);
    }

    @Test
    void egress_flags_make_the_egress_policy_and_allow_list_entries_imply_its_mode() throws IOException {
        assertThat(DeployRequest.merge(null, egress("deny-all", null), json)).isEqualTo(json.readTree("""
                {"egress": {"mode": "deny-all"}}"""));
        assertThat(DeployRequest.merge(null, egress(null, List.of("203.0.113.0/24:443,80", "198.51.100.7/32")),
                json)).isEqualTo(json.readTree("""
                        {"egress": {"mode": "allow-list", "allow": [{"cidr": "203.0.113.0/24", "ports": [443, 80]},
                         {"cidr": "198.51.100.7/32"}]}}"""));
        ObjectNode fromFile = (ObjectNode) json.readTree("""
                {"egress": {"mode": "allow-list", "allow": [{"cidr": "10.0.0.0/8"}]}}""");
        assertThat(DeployRequest.merge(fromFile, egress("allow-all", null), json)).isEqualTo(json.readTree("""
                {"egress": {"mode": "allow-all"}}"""));
        assertThat(DeployRequest.merge(fromFile, none(), json)).isEqualTo(fromFile);
    }

    @Test
    void an_egress_allow_list_entry_with_a_port_that_is_no_number_is_a_usage_error() {
        assertThatThrownBy(() -> DeployRequest.merge(null, egress(null, List.of("203.0.113.0/24:https")), json))
                .isInstanceOf(CliException.class).hasMessageContaining("ports must be numbers");
    }

    @Test
    void a_file_s_port_protocols_pass_as_written_and_port_flags_with_a_protocol_replace_them() throws IOException {
        Path file = dir.resolve("nanofleet.yaml");
        Files.writeString(file, """
                name: db
                ports: [{containerPort: 8080}, {containerPort: 5432, protocol: tcp}]
                """);

        assertThat(DeployRequest.merge(DeployRequest.read(file, json), none(), json).get("ports"))
                .isEqualTo(json.readTree("[{\"containerPort\":8080},{\"containerPort\":5432,\"protocol\":\"tcp\"}]"));
        assertThat(DeployRequest.merge(DeployRequest.read(file, json), new DeployRequest.Flags(null, null, null, null,
                null, null, List.of(PortFlag.parse("6379/TCP")), null, null, null, null), json).get("ports"))
                .isEqualTo(json.readTree("[{\"containerPort\":6379,\"protocol\":\"tcp\"}]"));
    }

    @Test
    void a_port_flag_is_a_number_with_an_optional_http_or_tcp_and_anything_else_is_refused() {
        assertThat(PortFlag.parse("8080")).isEqualTo(new PortFlag(8080, null));
        assertThat(PortFlag.parse(" 8080/http ")).isEqualTo(new PortFlag(8080, "http"));
        assertThat(PortFlag.parse("5432/Tcp")).isEqualTo(new PortFlag(5432, "tcp"));
        assertThatThrownBy(() -> PortFlag.parse("53/udp")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("http or tcp");
        assertThatThrownBy(() -> PortFlag.parse("db/tcp")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("PORT/PROTOCOL");
        assertThatThrownBy(() -> PortFlag.parse("5432/")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
