package dev.nanofleet.scheduler.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every scheduler endpoint wants an operator's token; only health and metrics are open. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KeycloakTestResource.class, restrictToAnnotatedClass = true)
class SchedulerSecurityIT {

    private static final String NODES = "/v1/scheduler/nodes";

    @Test
    void the_node_list_answers_401_without_a_token_403_to_a_tenant_and_200_to_an_operator() {
        given().get(NODES).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:nanofleet:problem:unauthorized"));
        given().auth().oauth2("not.a.token").get(NODES).then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(token("alice")).get(NODES).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:forbidden"))
                .body("instance", equalTo(NODES));
        given().auth().oauth2(token("ops")).get(NODES).then().statusCode(200).contentType("application/json");
    }

    @Test
    void health_and_metrics_stay_open_without_a_token() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void the_openapi_document_wants_an_operator_too() {
        given().get("/q/openapi").then().statusCode(401);
        given().auth().oauth2(token("alice")).get("/q/openapi").then().statusCode(403);
        given().auth().oauth2(token("ops")).get("/q/openapi").then().statusCode(200);
    }

    private static String token(String user) {
        return KeycloakServer.shared().passwordToken(user, "nanofleet");
    }
}
