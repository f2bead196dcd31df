package dev.nanofleet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeAgentServiceTest {

    @Test
    void theOwnerOfTheAgentsNetworkDevicesIsHashedAsTheAgentDoes() {
        // the same value node-agent's NetworkPlanTest pins for NetNames.owner
        assertThat(NodeAgentService.owner(Path.of("/var/lib/nanofleet/node"))).isEqualTo("0a810e07e6a6ef60");
        assertThat(NodeAgentService.owner(Path.of("/var/lib/nanofleet/./node/"))).isEqualTo("0a810e07e6a6ef60");
    }
}
