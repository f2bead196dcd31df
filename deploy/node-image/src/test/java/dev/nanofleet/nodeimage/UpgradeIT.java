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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade through the API on a booted image: the node boots slot A and enrolls with a local platform, an operator
 * asks for a second release (the same software built with another {@code NANOFLEET_NODE_IMAGE_TAG}, so another image
 * version), the agent downloads it from control-api, writes slot B and its boot entry, reboots, and enrolls again
 * from slot B with the new version: control-api records {@code succeeded}. Two TCG boots and a 200 MiB download take
 * minutes, so this runs from {@code ./fleet node-image boot} ({@code -Dnanofleet.node-image.fallback=true}).
 */
@EnabledIfSystemProperty(named = "nanofleet.node-image.fallback", matches = "true")
class UpgradeIT {

    static final String NODE = "image-up-1";
    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"(nfj_[A-Za-z0-9_-]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(8);
    private static final Duration INSTALL_DEADLINE = Duration.ofMinutes(15);

    private static NodeImage image;
    private static Path secondRelease;
    private static Platform platform;
    private static String api;
    private static String ops;
    private static Path home;
    private static boolean passed;

    @BeforeAll
    static void build_a_second_release_and_start_the_control_plane() throws Exception {
        image = NodeImage.get();
        HostTools.require("qemu-system-x86_64", "runc", "skopeo", "umoci", "docker-registry");
        // the releases control-api serves: the failsafe configuration names the directory for the platform's services
        Path releases = Path.of(System.getenv("NANOFLEET_CONTROL_API_NODE_OS_RELEASES_DIR"));
        Files.createDirectories(releases);
        Path second = FleetHome.cache().resolve("node-image/upgrade-it");
        ProcessBuilder build = new ProcessBuilder(FleetHome.repoRoot().resolve("deploy/node-image/build").toString(),
                second.toString()).inheritIO();
        build.environment().put("NANOFLEET_NODE_IMAGE_TAG", "upgrade-it");
        assertThat(build.start().waitFor()).as("deploy/node-image/build of the second release").isZero();
        String version = NodeImage.read(second.resolve("image-version"));
        assertThat(version).isNotEqualTo(NodeImage.read(image.file("image-version")));
        QemuNode.run(List.of(FleetHome.repoRoot().resolve("deploy/node-image/release").toString(),
                second.toRealPath().toString(), releases.toString()));
        secondRelease = releases.resolve(version);

        Process helper = new ProcessBuilder(FleetHome.repoRoot().resolve("deploy/exec-helper/build").toString(),
                FleetHome.cache().resolve("exec-helper").toString()).inheritIO().start();
        assertThat(helper.waitFor()).as("deploy/exec-helper/build").isZero();
        home = Files.createTempDirectory("nanofleet-node-image-upgrade-");
        platform = LocalPlatform.create(new Layout(FleetHome.repoRoot(), home), FleetPorts.free(), System.out, 1);
        platform.up();
        api = platform.environment().get("NANOFLEET_API_URL");
        String issuer = platform.environment().get("NANOFLEET_OIDC_ISSUER");
        ops = KeycloakServer.external(issuer.substring(0, issuer.indexOf("/realms/"))).passwordToken("ops",
                "nanofleet");
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
    void a_node_upgraded_through_the_api_reboots_into_slot_b_and_registers_with_the_new_version(@TempDir Path tmp)
            throws Exception {
        String oldVersion = NodeImage.read(image.file("image-version"));
        String newVersion = secondRelease.getFileName().toString();
        Await.until(Duration.ofSeconds(30), "control-api to list release " + newVersion,
                () -> send("GET", "/v1/node-os-releases", null).body().contains("\"" + newVersion + "\""));
        String guestApi = api.replace("127.0.0.1", "10.0.2.2").replace("localhost", "10.0.2.2");
        String env = "NANOFLEET_NODE_NAME=" + NODE + "\nNANOFLEET_NODE_CONTROL_API_URL=" + guestApi
                + "\nNANOFLEET_NODE_JOIN_TOKEN=" + joinToken() + "\nNANOFLEET_NODE_REGISTRY_TLS_VERIFY=false\n";
        try (QemuNode node = QemuNode.prepare(image, tmp, env).start()) {
            node.awaitConsole("nanofleet-initrd: root root-a verified", BOOT_DEADLINE);
            double blessed = node.awaitConsole("nanofleet: node enrolled", BOOT_DEADLINE);
            Await.until(Duration.ofSeconds(60), "control-api to list " + NODE + " on " + oldVersion + " from slot a",
                    () -> {
                        String body = send("GET", "/v1/nodes/" + NODE, null).body();
                        return body.contains("\"osVersion\":\"" + oldVersion + "\"")
                                && body.contains("\"bootSlot\":\"a\"");
                    });

            HttpResponse<String> ordered = send("POST", "/v1/nodes/" + NODE + "/upgrade",
                    "{\"version\": \"" + newVersion + "\"}");
            assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(202);
            double orderedAt = node.secondsSinceStart();
            double rebooting = node.awaitConsole("event=os-upgrade.rebooting", INSTALL_DEADLINE);
            String installed = node.consoleText().lines().filter(l -> l.contains("event=os-upgrade.installed"))
                    .findFirst().orElse("");
            double verifiedB = node.awaitConsole("nanofleet-initrd: root root-b verified", BOOT_DEADLINE);
            Await.until(BOOT_DEADLINE, "control-api to record the upgrade of " + NODE + " as succeeded", () -> {
                String body = send("GET", "/v1/nodes/" + NODE, null).body();
                return body.contains("\"state\":\"succeeded\"");
            });
            double succeeded = node.secondsSinceStart();
            String view = send("GET", "/v1/nodes/" + NODE, null).body();
            assertThat(view).contains("\"osVersion\":\"" + newVersion + "\"", "\"bootSlot\":\"b\"",
                    "\"scheduling\":\"schedulable\"");
            System.out.printf("[nanofleet] upgrade under TCG: slot A blessed at %.1f s, ordered at %.1f s, rebooting"
                    + " at %.1f s (%s), slot B verified at %.1f s, succeeded at %.1f s%n", blessed, orderedAt,
                    rebooting, installed.strip(), verifiedB, succeeded);
            Await.until(Duration.ofSeconds(120), "systemd-bless-boot to mark slot B good on the ESP",
                    () -> node.espListing().contains("nanofleet-b.conf"));
            assertThat(node.espListing()).as("slot A's entry stays, below B's").contains("nanofleet-a.conf");
            passed = true;
        }
    }

    private static String joinToken() {
        HttpResponse<String> created = send("POST", "/v1/node-join-tokens",
                "{\"uses\": 1, \"ttlSeconds\": 3600, \"description\": \"node image upgrade test\"}");
        Matcher secret = SECRET.matcher(created.body());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(secret.find()).as("a join token secret in " + created.body()).isTrue();
        return secret.group(1);
    }

    private static HttpResponse<String> send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ops).header("Accept", "application/json");
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
