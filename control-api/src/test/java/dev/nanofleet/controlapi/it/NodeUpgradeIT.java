package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/nodes/{name}/upgrade} and the node side of it (release manifest and files, progress reports, the
 * registration that ends it), against real PostgreSQL, Kafka and Keycloak, with releases in a temporary directory.
 */
@QuarkusTest
@TestProfile(NodeUpgradeIT.WithReleases.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeUpgradeIT {

    static final String OLD = "nf-1";
    static final String NEW = "nf-2";
    static final String OTHER = "nf-3";
    static final Path RELEASES = releases();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    public static class WithReleases implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nanofleet.control-api.node-os.releases-dir", RELEASES.toString());
        }
    }

    @Test
    void operators_list_the_valid_releases_and_nobody_else_may() {
        given().auth().oauth2(Tokens.user("ops")).get("/v1/node-os-releases").then().statusCode(200)
                .body("version", equalTo(List.of(NEW, OTHER)))
                .body("[0].files.'root.img'.sha256", equalTo(sha256(content(NEW, "root.img"))))
                .body("[0].files.'root.img'.bytes", equalTo(content(NEW, "root.img").length))
                .body("[0].bytes", equalTo(List.of("root.img", "roothash", "data-blocks", "vmlinuz", "initrd.img")
                        .stream().mapToInt(f -> content(NEW, f).length).sum()));
        given().auth().oauth2(Tokens.user("alice")).get("/v1/node-os-releases").then().statusCode(403)
                .contentType("application/problem+json");
        given().get("/v1/node-os-releases").then().statusCode(401);
    }

    @Test
    void a_node_installs_an_upgrade_is_drained_reboots_and_registers_with_the_new_version() {
        String node = "up-" + run;
        register(node, OLD, "a").statusCode(200).body("osVersion", equalTo(OLD)).body("bootSlot", equalTo("a"));
        action(node, "cordon");

        upgrade(node, NEW).statusCode(202).contentType(ContentType.JSON).body("version", equalTo(NEW))
                .body("state", equalTo("requested")).body("detail", nullValue());
        node(node).body("node.osVersion", equalTo(OLD)).body("node.bootSlot", equalTo("a"))
                .body("node.upgrade.version", equalTo(NEW)).body("node.upgrade.state", equalTo("requested"));
        assignments(node).body("osUpgrade.version", equalTo(NEW));

        // the node fetches the manifest and every file it lists, with its own credential
        nodeGet(node, NodeApi.OS_RELEASE_MANIFEST.replace("{version}", NEW)).statusCode(200)
                .body("version", equalTo(NEW))
                .body("files.roothash.sha256", equalTo(sha256(content(NEW, "roothash"))));
        for (String file : List.of("root.img", "roothash", "data-blocks", "vmlinuz", "initrd.img")) {
            byte[] body = given().auth().oauth2(Tokens.node(node))
                    .get(NodeApi.OS_RELEASE_FILE.replace("{node}", node).replace("{version}", NEW)
                            .replace("{file}", file))
                    .then().statusCode(200).contentType("application/octet-stream").extract().asByteArray();
            assertThat(body).as(file).isEqualTo(content(NEW, file));
        }

        report(node, NEW, "installing", "writing root-b").statusCode(200).body("state", equalTo("installing"));
        report(node, NEW, "installing", "root-b written").statusCode(200).body("detail", equalTo("root-b written"));
        node(node).body("node.upgrade.state", equalTo("installing")).body("node.scheduling", equalTo("cordoned"));
        report(node, NEW, "draining", "slot b ready").statusCode(200).body("state", equalTo("draining"));
        node(node).body("node.scheduling", equalTo("draining")).body("node.upgrade.state", equalTo("draining"));
        assignments(node).body("osUpgrade.version", equalTo(NEW));
        report(node, NEW, "rebooting", null).statusCode(200).body("state", equalTo("rebooting"));
        assignments(node).body("osUpgrade", nullValue());

        register(node, NEW, "b").statusCode(200).body("osVersion", equalTo(NEW)).body("bootSlot", equalTo("b"))
                .body("scheduling", equalTo("CORDONED"));
        node(node).body("node.upgrade.state", equalTo("succeeded")).body("node.upgrade.detail", containsString(NEW))
                .body("node.osVersion", equalTo(NEW)).body("node.scheduling", equalTo("cordoned"));
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                .body("find { it.name == '" + node + "' }.upgrade.state", equalTo("succeeded"));
        // a finished upgrade makes room for the next
        upgrade(node, OTHER).statusCode(202).body("state", equalTo("requested"));
    }

    @Test
    void a_node_that_comes_back_on_the_old_version_after_its_reboot_is_rolled_back_and_schedulable_again() {
        String node = "back-" + run;
        register(node, OLD, "a").statusCode(200);
        upgrade(node, NEW).statusCode(202);
        report(node, NEW, "installing", null).statusCode(200);
        report(node, NEW, "draining", null).statusCode(200);
        report(node, NEW, "rebooting", null).statusCode(200);
        node(node).body("node.scheduling", equalTo("draining"));

        register(node, OLD, "a").statusCode(200).body("scheduling", equalTo("SCHEDULABLE"));
        node(node).body("node.upgrade.state", equalTo("rolled-back"))
                .body("node.upgrade.detail", containsString("fell back")).body("node.scheduling",
                        equalTo("schedulable"));
        // the operator may try again
        upgrade(node, NEW).statusCode(202);
    }

    @Test
    void a_node_that_gives_up_reports_failed_and_an_agent_restart_before_it_picked_the_upgrade_up_changes_nothing() {
        String node = "fail-" + run;
        register(node, OLD, "b").statusCode(200);
        upgrade(node, NEW).statusCode(202);
        register(node, OLD, "b").statusCode(200);
        node(node).body("node.upgrade.state", equalTo("requested"));
        report(node, NEW, "failed", "root.img: sha256 does not match the manifest").statusCode(200)
                .body("state", equalTo("failed"));
        node(node).body("node.upgrade.state", equalTo("failed"))
                .body("node.upgrade.detail", equalTo("root.img: sha256 does not match the manifest"));
        assignments(node).body("osUpgrade", nullValue());
        report(node, NEW, "installing", null).statusCode(409).contentType("application/problem+json");
    }

    @Test
    void an_upgrade_is_refused_for_an_unknown_node_a_missing_or_unknown_version_and_in_conflicting_states() {
        String unknown = "no-such-node-" + run;
        upgrade(unknown, NEW).statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:not-found")).body("detail", containsString(unknown));

        String node = "refused-" + run;
        register(node, OLD, "a").statusCode(200);
        given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body("{}")
                .post("/v1/nodes/" + node + "/upgrade").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("version"));
        given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body("{\"version\": \"nf-9\"}")
                .post("/v1/nodes/" + node + "/upgrade").then().statusCode(400)
                .body("errors.field", hasItem("version"))
                .body("errors.message", hasItem(containsString("GET /v1/node-os-releases")));
        // a directory that is not a valid release is no version, nor is a path
        upgrade(node, "broken").statusCode(400).body("errors.field", hasItem("version"));
        upgrade(node, "../" + NEW).statusCode(400).body("errors.field", hasItem("version"));
        given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body("{\"version\": ")
                .post("/v1/nodes/" + node + "/upgrade").then().statusCode(400)
                .contentType("application/problem+json");

        upgrade(node, OLD + "x").statusCode(400);
        String current = "current-" + run;
        register(current, NEW, "a").statusCode(200);
        upgrade(current, NEW).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:conflict")).body("detail", containsString("already"));

        String plain = "plain-" + run;
        register(plain, null, null).statusCode(200);
        upgrade(plain, NEW).statusCode(409).body("detail", containsString("does not run the node OS"));

        upgrade(node, NEW).statusCode(202);
        upgrade(node, OTHER).statusCode(409).body("detail", containsString("in progress"));
        upgrade(node, NEW).statusCode(409).body("detail", containsString("in progress"));
    }

    @Test
    void only_operators_may_ask_for_an_upgrade() {
        String node = "auth-" + run;
        register(node, OLD, "a").statusCode(200);
        for (String token : List.of(Tokens.user("alice"), Tokens.node(node))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("version", NEW))
                    .post("/v1/nodes/" + node + "/upgrade").then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON).body(Map.of("version", NEW)).post("/v1/nodes/" + node + "/upgrade")
                .then().statusCode(401);
        node(node).body("node.upgrade", nullValue());
    }

    @Test
    void a_node_fetches_only_listed_releases_and_files_and_only_for_itself() {
        String node = "fetch-" + run;
        register(node, OLD, "a").statusCode(200);
        nodeGet(node, NodeApi.OS_RELEASE_MANIFEST.replace("{version}", "nf-9")).statusCode(404)
                .contentType("application/problem+json");
        nodeGet(node, NodeApi.OS_RELEASE_MANIFEST.replace("{version}", "broken")).statusCode(404);
        for (String file : List.of("manifest.json", "secret.txt", "..%2F" + NEW + "%2Froot.img", "..")) {
            nodeGet(node, NodeApi.OS_RELEASE_FILE.replace("{version}", NEW).replace("{file}", file)).statusCode(
                    not(equalTo(200)));
        }
        nodeGet(node, NodeApi.OS_RELEASE_FILE.replace("{version}", NEW).replace("{file}", "manifest.json"))
                .statusCode(404).contentType("application/problem+json");
        nodeGet(node, NodeApi.OS_RELEASE_FILE.replace("{version}", "..").replace("{file}", "root.img"))
                .statusCode(not(equalTo(200)));
        nodeGet(node, NodeApi.OS_RELEASE_FILE.replace("{version}", "broken").replace("{file}", "root.img"))
                .statusCode(404);

        String other = "fetch-other-" + run;
        register(other, OLD, "a").statusCode(200);
        given().auth().oauth2(Tokens.node(other))
                .get(NodeApi.OS_RELEASE_MANIFEST.replace("{node}", node).replace("{version}", NEW)).then()
                .statusCode(403);
        given().get(NodeApi.OS_RELEASE_MANIFEST.replace("{node}", node).replace("{version}", NEW)).then()
                .statusCode(401);
        given().auth().oauth2(Tokens.user("ops"))
                .get(NodeApi.OS_RELEASE_MANIFEST.replace("{node}", node).replace("{version}", NEW)).then()
                .statusCode(403);
    }

    @Test
    void progress_reports_are_validated_and_refused_without_a_matching_upgrade() {
        String node = "reports-" + run;
        register(node, OLD, "a").statusCode(200);
        report(node, NEW, "installing", null).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:conflict"));
        report(node, NEW, "succeeded", null).statusCode(400).body("errors.field", hasItem("state"));
        report(node, null, "installing", null).statusCode(400).body("errors.field", hasItem("version"));
        report(node, NEW, "installing", "a\nb").statusCode(400).body("errors.field", hasItem("detail"));
        report(node, NEW, "installing", "x".repeat(513)).statusCode(400).body("errors.field", hasItem("detail"));

        upgrade(node, NEW).statusCode(202);
        report(node, OTHER, "installing", null).statusCode(409);
        report(node, NEW, "draining", null).statusCode(200);
        report(node, NEW, "installing", null).statusCode(409).body("detail", containsString("installing"));
        report(node, NEW, "rebooting", null).statusCode(200);
        report(node, NEW, "draining", null).statusCode(409);
        // the reboot command failed: the node still runs the old slot
        report(node, NEW, "failed", "systemctl reboot exited with 1").statusCode(200).body("state",
                equalTo("failed"));
        report(node, NEW, "failed", null).statusCode(409);

        String other = "reports-other-" + run;
        register(other, OLD, "a").statusCode(200);
        given().auth().oauth2(Tokens.node(other)).contentType(ContentType.JSON)
                .body(Map.of("version", NEW, "state", "installing"))
                .put(NodeApi.OS_UPGRADE.replace("{node}", node)).then().statusCode(403);
    }

    @Test
    void a_registration_with_an_invalid_os_version_or_slot_is_refused_naming_the_field() {
        String node = "facts-" + run;
        given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON)
                .body(registration("../etc", "c")).post(NodeApi.REGISTRATION.replace("{node}", node)).then()
                .statusCode(400).body("errors.field", hasItem("osVersion")).body("errors.field", hasItem("bootSlot"));
    }

    private static ValidatableResponse register(String node, String osVersion, String slot) {
        return given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON)
                .body(registration(osVersion, slot)).post(NodeApi.REGISTRATION.replace("{node}", node)).then();
    }

    private static String registration(String osVersion, String slot) {
        return """
                {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["SHARED"],
                 "labels": {}, "agentVersion": "0.1.0"%s%s}""".formatted(
                osVersion == null ? "" : ", \"osVersion\": \"" + osVersion + "\"",
                slot == null ? "" : ", \"bootSlot\": \"" + slot + "\"");
    }

    private static ValidatableResponse upgrade(String node, String version) {
        return given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON)
                .body(Map.of("version", version)).post("/v1/nodes/" + node + "/upgrade").then();
    }

    private static void action(String node, String verb) {
        given().auth().oauth2(Tokens.user("ops")).post("/v1/nodes/" + node + "/" + verb).then().statusCode(200);
    }

    private static ValidatableResponse node(String node) {
        return given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes/" + node).then().statusCode(200);
    }

    private static ValidatableResponse assignments(String node) {
        return nodeGet(node, NodeApi.ASSIGNMENTS).statusCode(200);
    }

    private static ValidatableResponse nodeGet(String node, String pathTemplate) {
        return given().auth().oauth2(Tokens.node(node)).urlEncodingEnabled(false)
                .get(pathTemplate.replace("{node}", node)).then();
    }

    private static ValidatableResponse report(String node, String version, String state, String detail) {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("version", version);
        body.put("state", state);
        body.put("detail", detail);
        return given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON).body(body)
                .put(NodeApi.OS_UPGRADE.replace("{node}", node)).then();
    }

    /** The bytes of one file of a test release: small and different per release. */
    static byte[] content(String version, String file) {
        return (version + ":" + file + "\n").repeat(file.equals("root.img") ? 1000 : 1)
                .getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two valid releases, one whose manifest names another version, and a stray file. */
    private static Path releases() {
        try {
            Path dir = Files.createTempDirectory("node-os-releases");
            for (String version : List.of(NEW, OTHER, "broken")) {
                Path release = Files.createDirectories(dir.resolve(version));
                StringBuilder files = new StringBuilder();
                for (String file : List.of("root.img", "roothash", "data-blocks", "vmlinuz", "initrd.img")) {
                    byte[] bytes = content(version, file);
                    Files.write(release.resolve(file), bytes);
                    files.append(files.isEmpty() ? "" : ",").append("\"").append(file).append("\": {\"sha256\": \"")
                            .append(sha256(bytes)).append("\", \"bytes\": ").append(bytes.length).append("}");
                }
                String named = version.equals("broken") ? NEW : version;
                Files.writeString(release.resolve("manifest.json"), "{\"version\": \"" + named + "\", \"files\": {"
                        + files + "}}");
                Files.writeString(release.resolve("secret.txt"), "not part of the release");
            }
            Files.writeString(dir.resolve("README"), "not a release");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
