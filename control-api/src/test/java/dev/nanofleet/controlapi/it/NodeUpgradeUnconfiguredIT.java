package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without {@code nanofleet.control-api.node-os.releases-dir} there are no releases and no upgrades. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeUpgradeUnconfiguredIT {

    @Test
    void an_upgrade_is_refused_with_409_when_no_releases_are_configured() {
        String node = "unconfigured-os";
        given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON).body("""
                {"allocatable": {"cpuMillis": 1000, "memoryMiB": 1024}, "isolations": ["SHARED"], "labels": {},
                 "osVersion": "nf-1", "bootSlot": "a"}""").post(NodeApi.REGISTRATION.replace("{node}", node)).then()
                .statusCode(200);
        given().auth().oauth2(Tokens.user("ops")).get("/v1/node-os-releases").then().statusCode(200)
                .body("$", empty());
        given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body(Map.of("version", "nf-2"))
                .post("/v1/nodes/" + node + "/upgrade").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:conflict"))
                .body("detail", containsString("no node OS releases configured"));
        given().auth().oauth2(Tokens.node(node))
                .get(NodeApi.OS_RELEASE_MANIFEST.replace("{node}", node).replace("{version}", "nf-2")).then()
                .statusCode(404);
    }
}
