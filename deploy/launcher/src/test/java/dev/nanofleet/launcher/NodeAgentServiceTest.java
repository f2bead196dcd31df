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
    void theOwnerOfTheAgentsNetworkDevicesIsHashedAsTheAgentDoes() {
        // the same value node-agent's NetworkPlanTest pins for NetNames.owner
        assertThat(NodeAgentService.owner(Path.of("/var/lib/nanofleet/node"))).isEqualTo("0a810e07e6a6ef60");
        assertThat(NodeAgentService.owner(Path.of("/var/lib/nanofleet/./node/"))).isEqualTo("0a810e07e6a6ef60");
    }

    @Test
    void afterStopDeletesTheLocalAgentsNetworkDevicesAndNoOneElses(@TempDir Path stateDir, @TempDir Path other) {
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

            new NodeAgentService(0, stateDir, Map.of()).afterStop(null);

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

    private static void ip(String... args) {
        ManagedProcess.run(Duration.ofSeconds(20), java.util.stream.Stream.concat(java.util.stream.Stream.of("ip"),
                java.util.stream.Stream.of(args)).toList());
    }
}
