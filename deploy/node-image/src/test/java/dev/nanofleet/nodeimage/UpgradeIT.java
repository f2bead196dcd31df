package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(8);
    private static final Duration INSTALL_DEADLINE = Duration.ofMinutes(15);

    private static NodeImage image;
    private static Path secondRelease;
    private static ImagePlatform control;

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

        control = ImagePlatform.start();
    }

    @AfterAll
    static void stop_the_control_plane() {
        if (control != null) {
            control.close();
        }
    }

    @Test
    void a_node_upgraded_through_the_api_reboots_into_slot_b_and_registers_with_the_new_version(@TempDir Path tmp)
            throws Exception {
        String oldVersion = NodeImage.read(image.file("image-version"));
        String newVersion = secondRelease.getFileName().toString();
        Await.until(Duration.ofSeconds(30), "control-api to list release " + newVersion,
                () -> control.send("GET", "/v1/node-os-releases", null).body().contains("\"" + newVersion + "\""));
        String guestApi = control.guestApi();
        String env = "NANOFLEET_NODE_NAME=" + NODE + "\nNANOFLEET_NODE_CONTROL_API_URL=" + guestApi
                + "\nNANOFLEET_NODE_JOIN_TOKEN=" + control.joinToken("node image upgrade test")
                + "\nNANOFLEET_NODE_REGISTRY_TLS_VERIFY=false\n";
        try (QemuNode node = QemuNode.prepare(image, tmp, env).start()) {
            node.awaitConsole("nanofleet-initrd: root root-a verified", BOOT_DEADLINE);
            double blessed = node.awaitConsole("nanofleet: node enrolled", BOOT_DEADLINE);
            Await.until(Duration.ofSeconds(60), "control-api to list " + NODE + " on " + oldVersion + " from slot a",
                    () -> {
                        String body = control.send("GET", "/v1/nodes/" + NODE, null).body();
                        return body.contains("\"osVersion\":\"" + oldVersion + "\"")
                                && body.contains("\"bootSlot\":\"a\"");
                    });

            HttpResponse<String> ordered = control.send("POST", "/v1/nodes/" + NODE + "/upgrade",
                    "{\"version\": \"" + newVersion + "\"}");
            assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(202);
            double orderedAt = node.secondsSinceStart();
            double rebooting = node.awaitConsole("event=os-upgrade.rebooting", INSTALL_DEADLINE);
            String installed = node.consoleText().lines().filter(l -> l.contains("event=os-upgrade.installed"))
                    .findFirst().orElse("");
            double verifiedB = node.awaitConsole("nanofleet-initrd: root root-b verified", BOOT_DEADLINE);
            Await.until(BOOT_DEADLINE, "control-api to record the upgrade of " + NODE + " as succeeded", () -> {
                String body = control.send("GET", "/v1/nodes/" + NODE, null).body();
                return body.contains("\"state\":\"succeeded\"");
            });
            double succeeded = node.secondsSinceStart();
            String view = control.send("GET", "/v1/nodes/" + NODE, null).body();
            assertThat(view).contains("\"osVersion\":\"" + newVersion + "\"", "\"bootSlot\":\"b\"",
                    "\"scheduling\":\"schedulable\"");
            System.out.printf("[nanofleet] upgrade under TCG: slot A blessed at %.1f s, ordered at %.1f s, rebooting"
                    + " at %.1f s (%s), slot B verified at %.1f s, succeeded at %.1f s%n", blessed, orderedAt,
                    rebooting, installed.strip(), verifiedB, succeeded);
            Await.until(Duration.ofSeconds(120), "systemd-bless-boot to mark slot B good on the ESP",
                    () -> node.espListing().contains("nanofleet-b.conf"));
            assertThat(node.espListing()).as("slot A's entry stays, below B's").contains("nanofleet-a.conf");
            control.passed();
        }
    }
}
