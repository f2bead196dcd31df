package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.launcher.FleetPorts;
import dev.nanofleet.launcher.Layout;
import dev.nanofleet.launcher.LocalPlatform;
import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"(nfj_[A-Za-z0-9_-]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Under TCG on a busy two-core host a boot is slow; the time it took is printed and recorded in README.md. */
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(8);

    private static NodeImage image;
    private static Platform platform;
    private static String api;
    private static String ops;
    private static KeycloakServer keycloak;
    private static Path home;
    /** The platform's data and logs are removed only after a passing run; a failure keeps them to read. */
    private static boolean passed;

    @BeforeAll
    static void start_the_control_plane() throws Exception {
        image = NodeImage.get();
        HostTools.require("qemu-system-x86_64", "runc", "skopeo", "umoci", "docker-registry");
        // nf-exec, which the platform's own node agent needs (what ./fleet's ensure_exec_helper does; cached)
        Process helper = new ProcessBuilder(FleetHome.repoRoot().resolve("deploy/exec-helper/build").toString(),
                FleetHome.cache().resolve("exec-helper").toString()).inheritIO().start();
        assertThat(helper.waitFor()).as("deploy/exec-helper/build").isZero();
        home = Files.createTempDirectory("nanofleet-node-image-");
        platform = LocalPlatform.create(new Layout(FleetHome.repoRoot(), home), FleetPorts.free(), System.out, 1);
        platform.up();
        api = platform.environment().get("NANOFLEET_API_URL");
        String issuer = platform.environment().get("NANOFLEET_OIDC_ISSUER");
        keycloak = KeycloakServer.external(issuer.substring(0, issuer.indexOf("/realms/")));
        ops = keycloak.passwordToken("ops", "nanofleet");
    }

    @AfterAll
    static void stop_the_control_plane() {
        if (platform != null) {
            platform.down(passed);
            if (!passed) {
                System.out.println("[nanofleet] the platform's logs and data are kept in " + home);
            }
        }
    }

    @Test
    void the_image_boots_its_verified_root_and_its_agent_enrolls_with_the_control_plane(@TempDir Path tmp)
            throws Exception {
        String token = joinToken();
        // the guest reaches the host's loopback, where the platform listens, at 10.0.2.2
        String guestApi = api.replace("127.0.0.1", "10.0.2.2").replace("localhost", "10.0.2.2");
        // deployments name the platform's registry by the host's loopback; the node pulls through 10.0.2.2 instead
        String registry = platform.environment().get("NANOFLEET_REGISTRY");
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
                    () -> send("GET", "/v1/nodes", null).body().contains("\"" + NODE + "\""));
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
            HttpResponse<String> kernel = send("GET", "/v1/nodes/" + NODE + "/logs?source=kernel&tail=10000", null);
            assertThat(kernel.statusCode()).as(kernel.body()).isEqualTo(200);
            assertThat(kernel.body()).contains("Linux version").contains("verity");
            HttpResponse<String> agentLog = send("GET", "/v1/nodes/" + NODE + "/logs?source=agent&tail=10000", null);
            assertThat(agentLog.statusCode()).as(agentLog.body()).isEqualTo(200);
            assertThat(agentLog.body()).contains("event=agent.enrolled node=" + NODE);
            passed = true;
        }
    }

    /** Returns the seconds since power-on at which control-api listed the instance running on the image's node. */
    private static double runsASharedKernelInstance(QemuNode node) throws Exception {
        // the platform's own node is cordoned: the image's node is the only place the deployment can go
        for (JsonNode listed : JSON.readTree(send("GET", "/v1/nodes", null).body())) {
            String name = listed.path("name").asText();
            if (!name.equals(NODE)) {
                assertThat(send("POST", "/v1/nodes/" + name + "/cordon", null).statusCode()).isEqualTo(200);
            }
        }
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String body = JSON.writeValueAsString(Map.of("name", "on-the-node-image", "image",
                platform.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1, "isolation", "shared",
                "resources", Map.of("cpuMillis", 250, "memoryMiB", 64)));
        HttpResponse<String> created = send("POST", "/v1/deployments", body, bob);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asText();
        Await.untilAsserted(BOOT_DEADLINE, "bob's instance to run on " + NODE, () -> {
            String answer = send("GET", "/v1/deployments/" + id, null, bob).body();
            JsonNode instance = JSON.readTree(answer).path("instances").path(0);
            assertThat(instance.path("node").asText() + " " + instance.path("state").asText()).as(answer)
                    .isEqualTo(NODE + " running");
        });
        return node.secondsSinceStart();
    }

    private static String joinToken() {
        HttpResponse<String> created = send("POST", "/v1/node-join-tokens",
                "{\"uses\": 1, \"ttlSeconds\": 3600, \"description\": \"node image boot test\"}");
        Matcher secret = SECRET.matcher(created.body());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(secret.find()).as("a join token secret in " + created.body()).isTrue();
        return secret.group(1);
    }

    private static HttpResponse<String> send(String method, String path, String json) {
        return send(method, path, json, ops);
    }

    private static HttpResponse<String> send(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                // JSON from the API, text from a node's logs
                .header("Accept", "application/json, text/plain");
        request.method(method, json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("control-api at " + api + " unreachable: " + e, e);
        }
    }
}
