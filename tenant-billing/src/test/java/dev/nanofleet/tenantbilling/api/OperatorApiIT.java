package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakeRevenue;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class OperatorApiIT {

    static final String OPERATOR_TOKEN = "nfk_operator-read-cccccccccccccccccccccccccccccccccccc";
    static final String TENANT_TOKEN = "nfk_tenant-all-scopes-ddddddddddddddddddddddddddddddd";

    @Inject
    FakeRevenue revenue;

    @Test
    void an_operator_reads_revenue_over_a_range_with_exact_plain_amounts() {
        String body = given().header("Authorization", Tokens.bearer("ops"))
                .queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-02-01T00:00:00Z")
                .get("/v1/operator/revenue").then().statusCode(200).body("currency", equalTo("EUR"))
                .body("byIsolation.isolation", contains("hardware", "shared"))
                .body("byTenant.tenant", contains("acme", "globex", "initech"))
                .body("byDay[0].day", equalTo("2026-01-31")).extract().asString();

        assertThat(body).startsWith("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\",")
                .contains("\"total\":64.800000100,").contains("\"unbilled\":0.0000000001,");
        assertThat(revenue.lastAsked()).isEqualTo(new FakeRevenue.Asked(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00Z"), null));
    }

    @Test
    void without_a_range_revenue_covers_the_last_30_days() {
        Instant before = Instant.now().minusSeconds(1);
        given().header("Authorization", Tokens.bearer("ops")).get("/v1/operator/revenue").then().statusCode(200);

        FakeRevenue.Asked asked = revenue.lastAsked();
        assertThat(Duration.between(asked.from(), asked.to())).isEqualTo(Duration.ofDays(30));
        assertThat(asked.to()).isBetween(before, Instant.now());
    }

    @Test
    void top_tenants_come_largest_first_up_to_the_limit() {
        given().header("Authorization", Tokens.bearer("ops")).queryParam("limit", "2")
                .queryParam("from", "2026-01-01T00:00:00Z").get("/v1/operator/top-tenants").then().statusCode(200)
                .body("tenants.tenant", contains("globex", "acme")).body("limit", equalTo(2))
                .body("to", equalTo("2026-01-31T00:00:00Z"));
        given().header("Authorization", Tokens.bearer("ops")).get("/v1/operator/top-tenants").then().statusCode(200)
                .body("limit", equalTo(10)).body("tenants.tenant", contains("globex", "acme", "initech"));
    }

    @Test
    void each_bad_query_parameter_is_named_in_a_400_problem() {
        given().header("Authorization", Tokens.bearer("ops")).queryParam("from", "yesterday")
                .get("/v1/operator/revenue").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("from"));
        given().header("Authorization", Tokens.bearer("ops")).queryParam("to", "2026-13-01T00:00:00Z")
                .get("/v1/operator/revenue").then().statusCode(400).body("errors.field", contains("to"));
        given().header("Authorization", Tokens.bearer("ops")).queryParam("from", "2026-02-01T00:00:00Z")
                .queryParam("to", "2026-02-01T00:00:00Z").get("/v1/operator/revenue").then().statusCode(400)
                .body("errors.field", contains("to"));
        for (String limit : new String[]{"0", "101", "ten", "2.5"}) {
            given().header("Authorization", Tokens.bearer("ops")).queryParam("limit", limit)
                    .get("/v1/operator/top-tenants").then().statusCode(400).body("errors.field", contains("limit"));
        }
    }

    @Test
    void tenants_are_refused_the_operator_endpoints_and_strangers_are_asked_to_sign_in() {
        FakeControlApiResource.shared().tenantToken(TENANT_TOKEN, "acme", "read", "deploy", "exec", "admin");
        for (String path : new String[]{"/v1/operator/revenue", "/v1/operator/top-tenants"}) {
            given().header("Authorization", Tokens.bearer("alice")).get(path).then().statusCode(403)
                    .contentType("application/problem+json").body("type", equalTo("urn:nanofleet:problem:forbidden"))
                    .body("detail", equalTo("only operators may see the platform's revenue"));
            given().header("Authorization", "Bearer " + TENANT_TOKEN).get(path).then().statusCode(403);
            given().get(path).then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void an_operators_api_token_with_read_may_read_revenue() {
        FakeControlApiResource.shared().operatorToken(OPERATOR_TOKEN, "read");
        given().header("Authorization", "Bearer " + OPERATOR_TOKEN).get("/v1/operator/top-tenants").then()
                .statusCode(200);
    }
}
