package dev.nanofleet.controlapi.it;

import static dev.nanofleet.testsupport.TestCertificates.OLD;
import static dev.nanofleet.testsupport.TestCertificates.OTHER;
import static dev.nanofleet.testsupport.TestCertificates.SHOP;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Custom domains against real PostgreSQL, Kafka and Keycloak: a tenant attaches its hostname with its certificate,
 * the edge's routes name it and only the edge reads the key back; every refusal names its field, and another tenant
 * neither sees the deployment (404) nor takes a hostname that is attached (409). The checks themselves are
 * CustomDomainRulesTest's.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class CustomDomainApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void an_attached_domain_is_listed_without_its_key_routed_by_the_edge_and_its_key_read_by_the_edge_only()
            throws Exception {
        String id = deployment("bob");
        String host = unique();

        ValidatableResponse attached = attach("bob", id, host, SHOP.certificate(), SHOP.privateKey()).statusCode(201)
                .header("Location", startsWithPath("/v1/deployments/" + id + "/domains/" + host))
                .body("hostname", equalTo(host)).body("deploymentId", equalTo(id))
                .body("issuer", equalTo("CN=Nanofleet test CA")).body("notAfter", startsWith("2126-"));
        assertThat(attached.extract().asString()).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
        String sha = attached.extract().path("certificateSha256");

        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id + "/domains").then().statusCode(200)
                .body("hostname", equalTo(List.of(host))).body("[0].certificateSha256", equalTo(sha));

        String edge = KeycloakServer.shared().clientToken("nanofleet-edge", "edge-secret");
        JsonPath routes = given().auth().oauth2(edge).get("/v1/edge/routes").then().statusCode(200).extract()
                .jsonPath();
        assertThat(routes.getList("find { it.deploymentId == '" + id + "' }.domains", Map.class))
                .containsExactly(Map.of("hostname", host, "certificateSha256", sha));

        given().auth().oauth2(edge).get("/v1/edge/certificates/" + host).then().statusCode(200)
                .body("certificateSha256", equalTo(sha)).body("certificate", equalTo(SHOP.certificate().strip() + "\n"))
                .body("privateKey", equalTo(SHOP.privateKey().strip() + "\n"));
        // operators read routes, not tenants' keys; tenants neither
        given().auth().oauth2(Tokens.user("ops")).get("/v1/edge/certificates/" + host).then().statusCode(403);
        given().auth().oauth2(Tokens.user("bob")).get("/v1/edge/certificates/" + host).then().statusCode(403);
        given().auth().oauth2(edge).get("/v1/edge/certificates/nothing.example.test").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void sending_a_domain_again_renews_its_certificate_and_removing_it_takes_it_from_the_edge() {
        String id = deployment("bob");
        String host = unique();
        String created = attach("bob", id, host, SHOP.certificate(), SHOP.privateKey()).statusCode(201).extract()
                .path("updatedAt");

        // the same certificate with its key as PKCS#1: a renewal, 200, the same hostname
        attach("bob", id, host, SHOP.certificate(), SHOP.pkcs1PrivateKey()).statusCode(200)
                .body("hostname", equalTo(host)).body("updatedAt", not(equalTo(created)));
        String edge = KeycloakServer.shared().clientToken("nanofleet-edge", "edge-secret");
        given().auth().oauth2(edge).get("/v1/edge/certificates/" + host).then().statusCode(200)
                .body("privateKey", startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id + "/domains/" + host).then()
                .statusCode(204);
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id + "/domains").then().statusCode(200)
                .body("size()", equalTo(0));
        given().auth().oauth2(edge).get("/v1/edge/certificates/" + host).then().statusCode(404);
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id + "/domains/" + host).then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void another_tenant_gets_404_for_the_deployment_and_409_for_an_attached_hostname_until_its_deployment_is_deleted() {
        String bobs = deployment("bob");
        String alices = deployment("alice");
        String host = unique();
        attach("bob", bobs, host, SHOP.certificate(), SHOP.privateKey()).statusCode(201);

        attach("alice", bobs, unique(), SHOP.certificate(), SHOP.privateKey()).statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("alice")).get("/v1/deployments/" + bobs + "/domains").then()
                .statusCode(404);
        given().auth().oauth2(Tokens.user("alice")).delete("/v1/deployments/" + bobs + "/domains/" + host).then()
                .statusCode(404);
        attach("alice", alices, host, SHOP.certificate(), SHOP.privateKey()).statusCode(409)
                .contentType("application/problem+json").body("detail", equalTo("hostname " + host
                        + " is already attached to another deployment"));
        // nor another deployment of the same tenant
        attach("bob", deployment("bob"), host, SHOP.certificate(), SHOP.privateKey()).statusCode(409);

        // a deleted deployment's hostnames are free again, and it takes no new one
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + bobs).then().statusCode(202);
        attach("bob", bobs, unique(), SHOP.certificate(), SHOP.privateKey()).statusCode(409)
                .body("detail", equalTo("the deployment is deleted"));
        attach("alice", alices, host, SHOP.certificate(), SHOP.privateKey()).statusCode(201);
    }

    @Test
    void each_refusal_names_its_field() {
        String id = deployment("bob");
        refused(attach("bob", id, "hello-globex.apps.localhost", SHOP.certificate(), SHOP.privateKey()), "hostname");
        refused(attach("bob", id, unique(), SHOP.certificate(), OTHER.privateKey()), "privateKey");
        refused(attach("bob", id, "old.example.test", OLD.certificate(), OLD.privateKey()), "certificate");
        refused(attach("bob", id, "elsewhere.example.test", SHOP.certificate(), SHOP.privateKey()), "certificate");
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{}")
                .post("/v1/deployments/" + id + "/domains").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("hostname", "certificate", "privateKey")));
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{\"hostname\": ")
                .post("/v1/deployments/" + id + "/domains").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON)
                .body("{\"hostname\": \"a.example.test\", \"cert\": \"x\"}")
                .post("/v1/deployments/" + id + "/domains").then().statusCode(400)
                .contentType("application/problem+json");
        attach("bob", "not-a-uuid", unique(), SHOP.certificate(), SHOP.privateKey()).statusCode(404);
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id + "/domains").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void a_deployment_holds_at_most_twenty_custom_domains() {
        String id = deployment("bob");
        String prefix = "n" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 20; i++) {
            attach("bob", id, prefix + i + ".shop.example.test", SHOP.certificate(), SHOP.privateKey())
                    .statusCode(201);
        }
        attach("bob", id, prefix + "20.shop.example.test", SHOP.certificate(), SHOP.privateKey()).statusCode(409)
                .body("detail", equalTo("a deployment has at most 20 custom domains"));
        // a renewal of one it has is no new domain
        attach("bob", id, prefix + "0.shop.example.test", SHOP.certificate(), SHOP.privateKey()).statusCode(200);
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id + "/domains").then().statusCode(200)
                .body("hostname", hasItems(prefix + "0.shop.example.test", prefix + "19.shop.example.test"));
    }

    private static void refused(ValidatableResponse response, String field) {
        response.statusCode(400).contentType("application/problem+json").body("errors.field", equalTo(List.of(field)));
    }

    private static ValidatableResponse attach(String user, String deployment, String host, String certificate,
            String key) {
        try {
            return given().auth().oauth2(Tokens.user(user)).contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(Map.of("hostname", host, "certificate", certificate, "privateKey",
                            key)))
                    .post("/v1/deployments/" + deployment + "/domains").then();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String deployment(String user) {
        return given().auth().oauth2(Tokens.user(user)).contentType(ContentType.JSON).body("""
                {"name": "web-%s", "image": "busybox:1.36", "replicas": 1, "ports": [{"containerPort": 8080}],
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8))).post("/v1/deployments").then()
                .statusCode(201).extract().path("id");
    }

    /** A name the test certificate covers (*.shop.example.test), new for each call. */
    private static String unique() {
        return "d" + UUID.randomUUID().toString().substring(0, 8) + ".shop.example.test";
    }

    private static org.hamcrest.Matcher<String> startsWithPath(String path) {
        return org.hamcrest.Matchers.endsWith(path);
    }
}
