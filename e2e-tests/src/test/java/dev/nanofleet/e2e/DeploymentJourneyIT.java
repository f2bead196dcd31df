package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.launcher.FleetPorts;
import dev.nanofleet.launcher.Layout;
import dev.nanofleet.launcher.LocalPlatform;
import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole platform, started by the launcher on free ports from the packaged services: a tenant's deployment travels
 * control-api -> Kafka -> scheduler -> Kafka -> control-api -> node agent -> runc, and its state comes back.
 */
class DeploymentJourneyIT {

    private static Platform platform;
    private static Path home;
    private static String api;
    private static KeycloakServer keycloak;

    @BeforeAll
    static void startThePlatform() throws Exception {
        HostTools.require("runc", "skopeo", "umoci", "docker-registry");
        home = Files.createTempDirectory("nanofleet-e2e-");
        platform = LocalPlatform.create(new Layout(FleetHome.repoRoot(), home), FleetPorts.free(), System.out);
        platform.up();
        api = platform.environment().get("NANOFLEET_API_URL");
        String issuer = platform.environment().get("NANOFLEET_OIDC_ISSUER");
        keycloak = KeycloakServer.external(issuer.substring(0, issuer.indexOf("/realms/")));
        String ops = keycloak.passwordToken("ops", "nanofleet");
        Await.until(Duration.ofSeconds(60), "node " + LocalPlatform.NODE_NAME + " registered",
                () -> given().auth().oauth2(ops).get(api + "/v1/nodes").then().extract().jsonPath()
                        .getList("name").contains(LocalPlatform.NODE_NAME));
    }

    @AfterAll
    static void stopThePlatform() {
        if (platform != null) {
            platform.down(true);
        }
    }

    @Test
    void a_trusted_tenants_deployment_runs_in_runc_and_another_tenant_cannot_see_it() throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String alice = keycloak.passwordToken("alice", "nanofleet");

        String id = given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(deployment("hello-e2e", "auto"))
                .post(api + "/v1/deployments")
                .then().statusCode(201).extract().path("id");

        JsonPath running = Await.value(Duration.ofSeconds(120), "bob's instance RUNNING", () -> {
            JsonPath body = given().auth().oauth2(bob).get(api + "/v1/deployments/" + id).then().statusCode(200)
                    .extract().jsonPath();
            return "RUNNING".equals(body.getString("instances[0].state")) ? body : null;
        });
        assertThat(running.getString("instances[0].node")).isEqualTo(LocalPlatform.NODE_NAME);
        assertThat(running.getString("instances[0].isolation")).isEqualToIgnoringCase("shared");
        assertThat(runcContainerIds()).contains(running.getString("instances[0].id"));

        given().auth().oauth2(alice).get(api + "/v1/deployments/" + id).then().statusCode(404);
        List<String> alicesIds = given().auth().oauth2(alice).get(api + "/v1/deployments").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(alicesIds).doesNotContain(id);
    }

    @Test
    void an_untrusted_tenants_auto_deployment_asks_for_hardware_isolation_and_is_told_why_it_waits() {
        String alice = keycloak.passwordToken("alice", "nanofleet");

        String id = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(deployment("vm-e2e", "auto"))
                .post(api + "/v1/deployments")
                .then().statusCode(201).body("isolation", equalTo("hardware")).extract().path("id");

        String reason = Await.value(Duration.ofSeconds(60), "alice's instance unschedulable", () -> {
            JsonPath body = given().auth().oauth2(alice).get(api + "/v1/deployments/" + id).then().extract()
                    .jsonPath();
            return "UNSCHEDULABLE".equals(body.getString("instances[0].state"))
                    ? body.getString("instances[0].reason")
                    : null;
        });
        assertThat(reason).startsWith("0/1 nodes available").containsIgnoringCase("isolation");
    }

    private static Map<String, Object> deployment(String name, String isolation) {
        return Map.of("name", name, "image", platform.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1,
                "resources", Map.of("cpuMillis", 250, "memoryMiB", 64), "isolation", isolation);
    }

    private static String runcContainerIds() throws Exception {
        Path runcRoot = LocalPlatform.nodeState(new Layout(FleetHome.repoRoot(), home)).resolve("oci-state");
        Process list = new ProcessBuilder("runc", "--root", runcRoot.toString(), "list", "-q").redirectErrorStream(true)
                .start();
        String out = new String(list.getInputStream().readAllBytes());
        list.waitFor();
        return out;
    }
}
