package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/edge/routes} against real PostgreSQL, Kafka and Keycloak: who may read it (the edge's own client and
 * operators; tenants are refused) and which deployments it lists. Replicas that serve are covered end to end by
 * IngressJourneyIT, and the rules deciding it by EdgeRouteRulesTest.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class EdgeRoutesIT {

    @Test
    void the_edge_client_and_operators_read_the_routes_and_a_deployment_that_publishes_a_port_is_listed() {
        String name = "edge-" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("""
                {"name": "%s", "image": "busybox:1.36", "replicas": 1, "ports": [{"containerPort": 8080},
                 {"containerPort": 9090}], "resources": {"cpuMillis": 100, "memoryMiB": 64}, "isolation": "shared"}"""
                .formatted(name)).post("/v1/deployments").then().statusCode(201).extract().path("id");
        String unpublished = given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("""
                {"name": "%s-np", "image": "busybox:1.36", "replicas": 1,
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}, "isolation": "shared"}""".formatted(name))
                .post("/v1/deployments").then().statusCode(201).extract().path("id");
        String edge = KeycloakServer.shared().clientToken("nanofleet-edge", "edge-secret");

        JsonPath routes = given().auth().oauth2(edge).get("/v1/edge/routes").then().statusCode(200)
                .contentType(ContentType.JSON).extract().jsonPath();
        Map<String, Object> route = routes.getMap("find { it.deploymentId == '" + id + "' }");
        assertThat(route).containsEntry("tenant", "globex").containsEntry("name", name)
                .containsEntry("containerPort", 8080).containsEntry("backends", List.of());
        assertThat(routes.getList("deploymentId")).doesNotContain(unpublished);

        given().auth().oauth2(Tokens.user("ops")).get("/v1/edge/routes").then().statusCode(200)
                .body("find { it.deploymentId == '" + id + "' }.name", equalTo(name));

        // deleted: it leaves the routes
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id).then().statusCode(202);
        assertThat(given().auth().oauth2(edge).get("/v1/edge/routes").then().statusCode(200).extract().jsonPath()
                .getList("deploymentId")).doesNotContain(id);
    }

    @Test
    void a_deployment_with_tcp_ports_lists_each_with_its_edge_port_and_its_hostname_goes_to_the_first_http_port() {
        String name = "edge-tcp-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath created = given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("""
                {"name": "%s", "image": "busybox:1.36", "replicas": 1, "ports": [
                 {"containerPort": 5432, "protocol": "tcp"}, {"containerPort": 8080, "protocol": "http"}],
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}, "isolation": "shared"}""".formatted(name))
                .post("/v1/deployments").then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        int edgePort = created.getInt("ports[0].edgePort");
        String edge = KeycloakServer.shared().clientToken("nanofleet-edge", "edge-secret");

        Map<String, Object> route = given().auth().oauth2(edge).get("/v1/edge/routes").then().statusCode(200)
                .extract().jsonPath().getMap("find { it.deploymentId == '" + id + "' }");

        assertThat(route).containsEntry("containerPort", 8080).containsEntry("tcpPorts",
                List.of(Map.of("containerPort", 5432, "edgePort", edgePort, "backends", List.of())));
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id).then().statusCode(202);
    }

    @Test
    void a_tenant_may_not_read_the_routes_and_an_anonymous_caller_is_asked_to_authenticate() {
        given().auth().oauth2(Tokens.user("bob")).get("/v1/edge/routes").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        given().get("/v1/edge/routes").then().statusCode(401);
    }

    @Test
    void a_token_of_another_service_account_is_refused() {
        String controlApi = KeycloakServer.shared().clientToken("nanofleet-control-api", "control-api-secret");

        given().auth().oauth2(controlApi).get("/v1/edge/routes").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }
}
