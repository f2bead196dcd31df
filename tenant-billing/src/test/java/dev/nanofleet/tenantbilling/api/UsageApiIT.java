package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakeUsage;
import dev.nanofleet.tenantbilling.fakes.Fixtures;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class UsageApiIT {

    @Inject
    FakeUsage usage;

    @BeforeEach
    void two_tenants_ran_something() {
        usage.clear();
        usage.ran("acme", Fixtures.WEB, "web", Isolation.HARDWARE, "43200.000", "21600", "0.5940000000");
        usage.ran("globex", Fixtures.WORKER, "worker", Isolation.SHARED, "100", "50", "0.0010000000");
    }

    @Test
    void a_tenant_sees_its_own_usage_with_exact_decimals_and_lowercase_isolation() {
        String body = given().header("Authorization", Tokens.bearer("alice")).get("/v1/usage").then()
                .statusCode(200).body("tenant", equalTo("acme")).body("rows", hasSize(1))
                .body("rows[0].deploymentName", equalTo("web")).body("rows[0].isolation", equalTo("hardware"))
                .body("rows[0].day", equalTo("2026-02-10")).body("period.start", equalTo("2026-02-01T00:00:00Z"))
                .extract().asString();

        assertThat(body).contains("\"cost\":0.5940000000,").contains("\"reservedVcpuSeconds\":43200.000,")
                .contains("\"freeGrantCredit\":0,");
        given().header("Authorization", Tokens.bearer("bob")).get("/v1/usage").then().statusCode(200)
                .body("rows.deploymentName", contains("worker")).body("rows[0].isolation", equalTo("shared"));
    }

    @Test
    void a_tenant_sees_its_forecast_for_the_period() {
        String body = given().header("Authorization", Tokens.bearer("alice")).get("/v1/usage/forecast").then()
                .statusCode(200).body("tenant", equalTo("acme")).body("asOf", equalTo("2026-02-10T12:00:00Z"))
                .extract().asString();

        // 0.594 so far plus 0.045 an hour for the 444 hours left
        assertThat(body).contains("\"soFar\":0.5940000000,\"perHour\":0.0450000000,\"projected\":20.5740000000,"
                + "\"amountDueProjected\":20.57}");
    }

    @Test
    void usage_needs_a_token_and_a_tenant() {
        given().get("/v1/usage").then().statusCode(401).contentType("application/problem+json");
        given().get("/v1/usage/forecast").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("ops")).get("/v1/usage").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:nanofleet:problem:forbidden"));
    }
}
