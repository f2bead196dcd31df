package dev.nanofleet.tenantbilling.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakePorts;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class PricesApiIT {

    static final String DEPLOY_ONLY = "nfk_prices-deploy-mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm";

    @Test
    void the_configured_price_list_is_served_with_exact_plain_decimals() {
        String body = given().header("Authorization", Tokens.bearer("alice")).get("/v1/prices").then()
                .statusCode(200).contentType("application/json").extract().asString();

        // the launch prices of application.properties, exactly as configured, and exactly 3600 times them per hour
        assertThat(body).startsWith("{\"currency\":\"USD\",\"billingPeriod\":\"calendar-month\",\"asOf\":\"")
                .endsWith(",\"current\":{\"id\":\"launch\",\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"rates\":{"
                        + "\"hardware\":{\"perVcpuSecond\":0.0000135,\"perGibSecond\":0.0000019,"
                        + "\"perVcpuHour\":0.0486000,\"perGibHour\":0.0068400},"
                        + "\"shared\":{\"perVcpuSecond\":0.0000112,\"perGibSecond\":0.0000013,"
                        + "\"perVcpuHour\":0.0403200,\"perGibHour\":0.0046800}}},\"next\":null,\"freeGrant\":null}");
        Instant asOf = Instant.parse(given().header("Authorization", Tokens.bearer("alice")).get("/v1/prices")
                .then().extract().<String>path("asOf"));
        assertThat(Duration.between(asOf, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void any_authenticated_caller_may_read_prices_and_no_one_else() {
        FakeControlApiResource.shared().tenantToken(DEPLOY_ONLY, "acme", "deploy");
        // a node's credential: control-api's, for its node API only
        String node = "nfn_" + "N".repeat(43);

        given().header("Authorization", Tokens.bearer("ops")).get("/v1/prices").then().statusCode(200)
                .body("current.id", equalTo("launch"));
        given().header("Authorization", "Bearer " + DEPLOY_ONLY).get("/v1/prices").then().statusCode(200);
        given().auth().oauth2(node).get("/v1/prices").then().statusCode(401).contentType("application/problem+json");
        given().get("/v1/prices").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:unauthorized"));
        given().header("Authorization", "Bearer not-a-token").get("/v1/prices").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
