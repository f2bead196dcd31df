package dev.nanofleet.webui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PortalConfigResourceTest {

    @Test
    void the_portal_learns_the_api_billing_and_issuer_from_configuration() {
        given().get("/portal-config.json").then().statusCode(200)
                .body("apiUrl", equalTo("http://127.0.0.1:8081"))
                .body("billingUrl", equalTo("http://127.0.0.1:8084"))
                .body("oidcIssuer", equalTo("http://127.0.0.1:8080/realms/nanofleet"))
                .body("clientId", equalTo("nanofleet-portal"));
    }

    @Test
    void health_is_served() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
