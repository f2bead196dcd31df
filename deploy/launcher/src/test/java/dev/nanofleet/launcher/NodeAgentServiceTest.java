package dev.nanofleet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAgentServiceTest {

    @Test
    void the_owner_of_the_agents_network_devices_is_hashed_as_the_agent_does() {
        // the same value node-agent's NetworkPlanTest pins for NetNames.owner
        assertThat(NodeAgentService.owner(Path.of("/var/lib/nanofleet/node"))).isEqualTo("0a810e07e6a6ef60");
        assertThat(NodeAgentService.owner(Path.of("/var/lib/nanofleet/./node/"))).isEqualTo("0a810e07e6a6ef60");
    }

    @Test
    void after_stop_deletes_the_local_agents_network_devices_and_no_one_elses(@TempDir Path stateDir,
            @TempDir Path other) {
        Assumptions.assumeTrue(HostTools.root() && HostTools.find("ip").isPresent(),
                "needs root and ip to create network devices");
        String owner = NodeAgentService.owner(stateDir);
        String mine = "nfb-t" + owner.substring(0, 10);
        String theirs = "nfb-u" + owner.substring(0, 10);
        String netns = "nf-" + owner + "-launcher-test";
        try {
            ip("link", "add", "name", mine, "type", "bridge");
            ip("link", "set", "dev", mine, "alias", "nanofleet-" + owner);
            ip("link", "add", "name", theirs, "type", "bridge");
            ip("link", "set", "dev", theirs, "alias", "nanofleet-" + NodeAgentService.owner(other));
            ip("netns", "add", netns);

            new NodeAgentService(node(stateDir), 0, Map.of(), null).afterStop(null);

            assertThat(Path.of("/sys/class/net", mine)).doesNotExist();
            assertThat(Path.of("/run/netns", netns)).doesNotExist();
            assertThat(Path.of("/sys/class/net", theirs)).exists();
        } finally {
            for (String dev : List.of(mine, theirs)) {
                if (Files.exists(Path.of("/sys/class/net", dev))) {
                    ip("link", "del", dev);
                }
            }
            if (Files.exists(Path.of("/run/netns", netns))) {
                ip("netns", "del", netns);
            }
        }
    }

    @Test
    void after_stop_deletes_the_containers_with_the_oci_runtime_the_agent_chose(@TempDir Path stateDir,
            @TempDir Path bin)
            throws Exception {
        // a stand-in crun that lists one container and records every call: the agent chose it, so it must be asked
        Path calls = bin.resolve("calls");
        Path crun = bin.resolve("crun");
        Files.writeString(crun, """
                #!/bin/sh
                echo "$@" >> %s
                case "$*" in *" list -q") echo c1 ;; esac
                """.formatted(calls));
        crun.toFile().setExecutable(true);
        Files.createDirectories(stateDir.resolve("oci-state"));
        Files.writeString(stateDir.resolve("oci-runtime"), crun + "\n");

        new NodeAgentService(node(stateDir), 0, Map.of(), null).afterStop(null);

        String root = stateDir.resolve("oci-state").toString();
        assertThat(Files.readAllLines(calls)).containsExactly("--root " + root + " list -q",
                "--root " + root + " delete --force c1");
    }

    @Test
    void without_the_agents_record_runc_is_assumed_as_before(@TempDir Path stateDir) throws Exception {
        assertThat(new NodeAgentService(node(stateDir), 0, Map.of(), null).ociRuntime()).isEqualTo("runc");

        Files.writeString(stateDir.resolve("oci-runtime"), "/usr/bin/crun\n");
        assertThat(new NodeAgentService(node(stateDir), 0, Map.of(), null).ociRuntime()).isEqualTo("/usr/bin/crun");
    }

    private static void ip(String... args) {
        ManagedProcess.run(Duration.ofSeconds(20), java.util.stream.Stream.concat(java.util.stream.Stream.of("ip"),
                java.util.stream.Stream.of(args)).toList());
    }

    private static LocalNode node(Path stateDir) {
        return new LocalNode("local-1", "node-agent", stateDir, "127.0.0.1", java.util.Optional.empty(), Map.of(),
                NodeAgentService.DEFAULT_CGROUP_PARENT, "auto");
    }
}
