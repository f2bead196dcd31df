package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Plain TCP ports against real PostgreSQL, Kafka and Keycloak, with an edge port range of two so that running out is
 * one deployment away: what the view shows, that an edge port stays with its container port across revisions, is freed
 * by removing the port, switching it to http or deleting the deployment, and the refusals (an unknown protocol, the
 * range used up). The tests of this class share the range, so they run as one.
 */
@QuarkusTest
@TestProfile(EdgeTcpPortsIT.TwoEdgePorts.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class EdgeTcpPortsIT {

    /** Two edge ports, in a range no other test uses (they share the database). */
    public static class TwoEdgePorts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nanofleet.control-api.edge.tcp-ports", "29990-29991");
        }
    }

    @Test
    void tcp_ports_hold_an_edge_port_from_the_range_until_removed_and_a_used_up_range_is_a_409_naming_ports() {
        String db = create(name("db"), """
                [{"containerPort": 8080}, {"containerPort": 5432, "protocol": "tcp"},
                 {"containerPort": 6379, "protocol": "TCP"}]""").statusCode(201)
                .body("ports[0].protocol", equalTo("http")).body("ports[0].edgePort", nullValue())
                .body("ports[1].protocol", equalTo("tcp")).body("ports[1].edgePort", equalTo(29990))
                .body("ports[2].protocol", equalTo("tcp")).body("ports[2].edgePort", equalTo(29991))
                .extract().path("id");

        // the range is used up: refused, naming ports, and nothing is stored
        String other = name("other");
        create(other, "[{\"containerPort\": 9000, \"protocol\": \"tcp\"}]").statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("ports"))
                .body("detail", containsString("29990-29991"));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments?name=" + other).then().statusCode(200)
                .body("size()", equalTo(0));

        // a new revision keeps the edge port of a port it keeps, even when the order changes; 6379 leaves
        patch(db, "{\"ports\": [{\"containerPort\": 6379, \"protocol\": \"http\"}, {\"containerPort\": 5432,"
                + " \"protocol\": \"tcp\"}]}").statusCode(200).body("revision", equalTo(2))
                .body("ports[0].protocol", equalTo("http")).body("ports[0].edgePort", nullValue())
                .body("ports[1].edgePort", equalTo(29990));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + db + "/revisions").then()
                .statusCode(200).body("find { it.revision == 2 }.spec.tcpPorts", equalTo(java.util.List.of(5432)))
                .body("find { it.revision == 2 }.changed", equalTo(java.util.List.of("ports")))
                .body("find { it.revision == 1 }.spec.tcpPorts", equalTo(java.util.List.of(5432, 6379)));

        // the freed edge port is the next one's
        String second = create(other, "[{\"containerPort\": 9000, \"protocol\": \"tcp\"}]").statusCode(201)
                .body("ports[0].edgePort", equalTo(29991)).extract().path("id");

        // rolling back to revision 1 wants 6379 as tcp again: none is left, so the rollback is refused
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{\"revision\": 1}")
                .post("/v1/deployments/" + db + "/rollback").then().statusCode(409)
                .body("errors[0].field", equalTo("ports"));

        // deleting a deployment frees its edge ports
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + second).then().statusCode(202)
                .body("ports[0].edgePort", nullValue());
        given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("{\"revision\": 1}")
                .post("/v1/deployments/" + db + "/rollback").then().statusCode(200)
                .body("ports[1].edgePort", equalTo(29990)).body("ports[2].edgePort", equalTo(29991));
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + db).then().statusCode(202);
    }

    @Test
    void an_unknown_protocol_is_a_400_naming_the_port() {
        create(name("bad"), "[{\"containerPort\": 8080}, {\"containerPort\": 53, \"protocol\": \"udp\"}]")
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("ports[1].protocol"))
                .body("errors[0].message", containsString("http, tcp"));
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse create(String name, String ports) {
        return given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body("""
                {"name": "%s", "image": "busybox:1.36", "replicas": 1, "ports": %s,
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}, "isolation": "shared"}""".formatted(name, ports))
                .post("/v1/deployments").then();
    }

    private static ValidatableResponse patch(String id, String json) {
        return given().auth().oauth2(Tokens.user("bob")).contentType(ContentType.JSON).body(json)
                .patch("/v1/deployments/" + id).then();
    }
}
