package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node image boots under QEMU (TCG, OVMF, user networking), its initrd opens the verified root, systemd starts
 * the agent with the boot configuration an operator put on the ESP, and the agent enrolls with a real control plane
 * (the local platform, as {@code ./fleet up} runs it; the guest reaches the host's loopback at 10.0.2.2). Once it
 * enrolled, systemd-bless-boot marks slot A good: its boot entry loses its tries counter. Then a tenant's shared-kernel
 * deployment runs on it: the node pulls the platform's image (named {@code 127.0.0.1:PORT/...}, the host's loopback)
 * through the registry mirror its boot configuration names, and an operator reads the node's kernel messages and
 * agent log through control-api (there is no login on the node).
 */
class BootIT {

    static final String NODE = "image-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Under TCG on a busy two-core host a boot is slow; the time it took is printed and recorded in README.md. */
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(8);

    private static NodeImage image;
    private static ImagePlatform control;

    @BeforeAll
    static void start_the_control_plane() throws Exception {
        image = NodeImage.get();
        control = ImagePlatform.start();
    }

    @AfterAll
    static void stop_the_control_plane() {
        if (control != null) {
            control.close();
        }
    }

    @Test
    void the_image_boots_its_verified_root_and_its_agent_enrolls_with_the_control_plane(@TempDir Path tmp)
            throws Exception {
        String token = control.joinToken("node image boot test");
        String guestApi = control.guestApi();
        // deployments name the platform's registry by the host's loopback; the node pulls through 10.0.2.2 instead
        String registry = control.platform.environment().get("NANOFLEET_REGISTRY");
        int agentPort = Ports.free();
        String mirror = registry.replace("127.0.0.1", "10.0.2.2");
        String env = "NANOFLEET_NODE_NAME=" + NODE + "\nNANOFLEET_NODE_CONTROL_API_URL=" + guestApi
                + "\nNANOFLEET_NODE_JOIN_TOKEN=" + token + "\nNANOFLEET_NODE_REGISTRY_TLS_VERIFY=false"
                + "\nNANOFLEET_NODE_REGISTRY_MIRRORS=" + registry + "=" + mirror
                // control-api reads the node's logs through a port QEMU forwards from the host's loopback
                + "\nNANOFLEET_NODE_AGENT_URL=http://127.0.0.1:" + agentPort + "\n";
        try (QemuNode node = QemuNode.prepare(image, tmp, env).forwardingAgentTo(agentPort).start()) {
            double verified = node.awaitConsole("nanofleet-initrd: root root-a verified", BOOT_DEADLINE);
            double agentStarting = node.awaitConsole("event=agent.starting", BOOT_DEADLINE);
            double enrolled = node.awaitConsole("event=agent.enrolled", BOOT_DEADLINE);
            Await.until(Duration.ofSeconds(60), "control-api to list node " + NODE,
                    () -> control.send("GET", "/v1/nodes", null).body().contains("\"" + NODE + "\""));
            double blessed = node.awaitConsole("nanofleet: node enrolled", BOOT_DEADLINE);
            System.out.printf(
                    "[nanofleet] node image boot under TCG: root verified at %.1f s, agent starting at %.1f s,"
                            + " enrolled at %.1f s, slot marked good at %.1f s%n",
                    verified, agentStarting, enrolled, blessed);
            // the guest's FAT writes reach the disk file directly (no cache in QEMU for a raw file), so the listing
            // shows the rename once systemd-bless-boot made it
            Await.until(Duration.ofSeconds(120), "systemd-bless-boot to mark slot A good on the ESP",
                    () -> node.espListing().contains("nanofleet-a.conf"));
            assertThat(node.espListing()).as("the ESP after a good boot of slot A")
                    .contains("loader/entries/nanofleet-b+3.conf");

            double running = runsASharedKernelInstance(node);
            System.out.printf("[nanofleet] node image: a shared-kernel instance running at %.1f s%n", running);

            // no login on the node: its kernel's messages and its agent's journal are read through control-api
            HttpResponse<String> kernel = control.send("GET", "/v1/nodes/" + NODE + "/logs?source=kernel&tail=10000",
                    null);
            assertThat(kernel.statusCode()).as(kernel.body()).isEqualTo(200);
            assertThat(kernel.body()).contains("Linux version").contains("verity");
            HttpResponse<String> agentLog = control.send("GET", "/v1/nodes/" + NODE + "/logs?source=agent&tail=10000",
                    null);
            assertThat(agentLog.statusCode()).as(agentLog.body()).isEqualTo(200);
            assertThat(agentLog.body()).contains("event=agent.enrolled node=" + NODE);
            control.passed();
        }
    }

    /** Returns the seconds since power-on at which control-api listed the instance running on the image's node. */
    private static double runsASharedKernelInstance(QemuNode node) throws Exception {
        // the platform's own node is cordoned: the image's node is the only place the deployment can go
        for (JsonNode listed : JSON.readTree(control.send("GET", "/v1/nodes", null).body())) {
            String name = listed.path("name").asText();
            if (!name.equals(NODE)) {
                assertThat(control.send("POST", "/v1/nodes/" + name + "/cordon", null).statusCode()).isEqualTo(200);
            }
        }
        String bob = control.keycloak.passwordToken("bob", "nanofleet");
        String body = JSON.writeValueAsString(Map.of("name", "on-the-node-image", "image",
                control.platform.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1, "isolation", "shared",
                "resources", Map.of("cpuMillis", 250, "memoryMiB", 64)));
        HttpResponse<String> created = control.send("POST", "/v1/deployments", body, bob);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        Await.untilAsserted(BOOT_DEADLINE, "bob's instance to run on " + NODE, () -> {
            String answer = control.send("GET", "/v1/deployments/" + id, null, bob).body();
            JsonNode instance = JSON.readTree(answer).path("instances").path(0);
            assertThat(instance.path("node").asText() + " " + instance.path("state").asText()).as(answer)
                    .isEqualTo(NODE + " running");
        });
        return node.secondsSinceStart();
    }
}
