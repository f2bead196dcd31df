package dev.nanofleet.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BundleConfigTest {

    private static final String UMOCI_CONFIG = """
            {"process":{"terminal":true,"args":["/bin/sh","-c","sleep 1"],"env":["PATH=/bin","TERM=xterm"],
             "rlimits":[{"type":"RLIMIT_NOFILE","hard":1048576,"soft":1048576},
                        {"type":"RLIMIT_CORE","hard":18446744073709551615,"soft":0}],
             "capabilities":{"bounding":["CAP_KILL","CAP_NET_RAW","CAP_NET_BIND_SERVICE"],
                             "effective":["CAP_KILL","CAP_NET_ADMIN"]}},
             "linux":{"namespaces":[{"type":"pid"},{"type":"mount"}]}}
            """;

    private final UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    private ObjectNode patched(List<String> command) throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(UMOCI_CONFIG);
        BundleConfig.patch(config, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                new Resources(250, 64), command, Map.of("TERM", "dumb", "A", "1"), DesiredState.RUNNING),
                Map.of("RLIMIT_NOFILE", 20000L));
        return config;
    }

    @Test
    void sets_limits_cgroup_and_safety_flags() throws Exception {
        ObjectNode c = patched(List.of());

        assertThat(c.at("/process/terminal").asBoolean()).isFalse();
        assertThat(c.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.at("/linux/resources/memory/swap").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.at("/linux/resources/cpu/quota").asLong()).isEqualTo(25_000);
        assertThat(c.at("/linux/resources/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(c.at("/linux/resources/pids/limit").asLong()).isEqualTo(512);
        assertThat(c.at("/linux/cgroupsPath").asText()).isEqualTo("/nanofleet/" + id);
        assertThat(c.at("/linux/namespaces").findValuesAsText("type")).contains("network");
    }

    @Test
    void a_tenants_private_network_dns_is_mounted_read_only_over_the_images_resolv_conf() throws Exception {
        ObjectNode config = patched(List.of());
        config.withArrayProperty("mounts").addObject().put("destination", "/etc/resolv.conf").put("source", "/x");

        BundleConfig.mountResolvConf(config, java.nio.file.Path.of("/var/lib/nanofleet/instances/i/resolv.conf"));

        assertThat(config.at("/mounts").findValuesAsText("destination")).containsOnlyOnce("/etc/resolv.conf");
        assertThat(config.at("/mounts/0/source").asText()).isEqualTo("/var/lib/nanofleet/instances/i/resolv.conf");
        assertThat(config.at("/mounts/0/options").toString()).contains("\"ro\"", "\"rbind\"");
    }

    @Test
    void puts_the_instances_cgroup_under_the_agents_own_cgroup_parent() throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(UMOCI_CONFIG);
        BundleConfig.patch(config, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                new Resources(250, 64), List.of(), Map.of(), DesiredState.RUNNING), Map.of(), null,
                "nanofleet-local-2");

        assertThat(config.at("/linux/cgroupsPath").asText()).isEqualTo("/nanofleet-local-2/" + id);
        assertThat(BundleConfig.cgroupPath("nanofleet-local-2", id)).isEqualTo("nanofleet-local-2/" + id);
    }

    @Test
    void joins_the_agents_network_namespace_and_drops_network_capabilities() throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(UMOCI_CONFIG);
        BundleConfig.patch(config, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                new Resources(250, 64), List.of(), Map.of(), DesiredState.RUNNING), Map.of(), "/run/netns/nf-x");

        assertThat(config.at("/linux/namespaces").toString()).contains(
                "{\"type\":\"network\",\"path\":\"/run/netns/nf-x\"}");
        assertThat(config.at("/process/capabilities/bounding").toString()).isEqualTo(
                "[\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]");
        assertThat(config.at("/process/capabilities/effective").toString()).isEqualTo("[\"CAP_KILL\"]");
        // without a namespace of the agent's: a new, empty one
        assertThat(patched(List.of()).at("/linux/namespaces").toString()).contains("{\"type\":\"network\"}");
    }

    @Test
    void keeps_the_images_args_unless_a_command_is_given_and_merges_env() throws Exception {
        assertThat(patched(List.of()).at("/process/args").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"sleep 1\"]");
        ObjectNode c = patched(List.of("echo", "hi"));
        assertThat(c.at("/process/args").toString()).isEqualTo("[\"echo\",\"hi\"]");
        assertThat(c.at("/process/env").toString()).isEqualTo("[\"PATH=/bin\",\"TERM=dumb\",\"A=1\"]");
    }

    @Test
    void the_user_groups_and_working_dir_are_written_as_instance_process_resolves_them() throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree("""
                {"process":{"args":["id"],"cwd":"/srv","user":{"uid":1000,"gid":1000,"additionalGids":[50]}}}""");
        BundleConfig.patch(config, new Assignment(id, UUID.randomUUID(), "acme", "r/app:1", Isolation.SHARED,
                new Resources(250, 64), List.of(), Map.of(), DesiredState.RUNNING), Map.of());

        assertThat(config.at("/process/user").toString()).isEqualTo(
                "{\"uid\":1000,\"gid\":1000,\"additionalGids\":[50]}");
        assertThat(config.at("/process/cwd").asText()).isEqualTo("/srv");
        assertThat(config.at("/process/env").toString()).isEqualTo("[\"PATH=" + InstanceProcess.DEFAULT_PATH + "\"]");
    }

    @Test
    void caps_rlimits_to_the_hosts_hard_limits() throws Exception {
        ObjectNode c = patched(List.of());
        assertThat(c.at("/process/rlimits/0/hard").asLong()).isEqualTo(20000);
        assertThat(c.at("/process/rlimits/0/soft").asLong()).isEqualTo(20000);
        // no host cap known for RLIMIT_CORE: left alone
        assertThat(c.at("/process/rlimits/1/soft").asLong()).isZero();
    }

    @Test
    void refuses_an_instance_with_nothing_to_run() throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree("{\"process\":{\"args\":[]}}");
        assertThatThrownBy(() -> BundleConfig.patch(config, new Assignment(id, UUID.randomUUID(), "acme", "r/empty:1",
                Isolation.SHARED, new Resources(100, 32), List.of(), Map.of(), DesiredState.RUNNING), Map.of()))
                .hasMessageContaining("no entrypoint or cmd");
    }
}
