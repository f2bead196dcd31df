package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.tenantbilling.fakes.FakeControlApi;
import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakeSpendLimits;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class SpendLimitApiIT {

    static final String READ_TOKEN = "nfk_spendlimit-read-only-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String ADMIN_TOKEN = "nfk_spendlimit-admin-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @Inject
    FakeSpendLimits limits;

    @BeforeEach
    void no_limits_and_two_tokens() {
        limits.clear();
        FakeControlApi controlApi = FakeControlApiResource.shared();
        controlApi.tenantToken(READ_TOKEN, "acme", "read");
        controlApi.tenantToken(ADMIN_TOKEN, "acme", "read", "admin");
    }

    private static ValidatableResponse put(String bearer, String body) {
        return given().header("Authorization", bearer).contentType("application/json").body(body)
                .put("/v1/spend-limit").then();
    }

    @Test
    void a_tenant_without_a_limit_sees_null_and_its_spend() {
        limits.spent("acme", "12.3400000");
        String body = given().header("Authorization", Tokens.bearer("alice")).get("/v1/spend-limit").then()
                .statusCode(200).body("limit", nullValue()).extract().asString();
        assertThat(body).contains("\"spend\":12.3400000,");
    }

    @Test
    void a_person_sets_a_limit_with_cents_default_thresholds_and_a_hard_stop_then_removes_it() {
        limits.spent("acme", "40");
        put(Tokens.bearer("alice"), "{\"amount\": \"50\"}").statusCode(200).body("limit.currency", equalTo("EUR"))
                .body("limit.alertThresholds", contains(75, 90, 100)).body("limit.hard", equalTo(true))
                .body("alertsSent", contains(75)).body("heldSince", nullValue());
        String body = given().header("Authorization", Tokens.bearer("alice")).get("/v1/spend-limit").then()
                .statusCode(200).extract().asString();
        assertThat(body).contains("\"amount\":50.00,");

        put(Tokens.bearer("alice"), "{\"amount\": 39.5, \"alertThresholds\": [50, 100], \"hard\": true}")
                .statusCode(200).body("heldSince", equalTo("2026-02-10T12:00:00Z"))
                .body("limit.alertThresholds", contains(50, 100));
        given().header("Authorization", Tokens.bearer("alice")).delete("/v1/spend-limit").then().statusCode(200)
                .body("limit", nullValue()).body("heldSince", nullValue());

        assertThat(limits.changes()).containsExactly("acme set 50.00 by user:alice", "acme set 39.50 by user:alice",
                "acme removed by user:alice");
    }

    @Test
    void an_api_token_with_read_may_look_but_not_set_or_remove_the_limit() {
        given().header("Authorization", "Bearer " + READ_TOKEN).get("/v1/spend-limit").then().statusCode(200);
        put("Bearer " + READ_TOKEN, "{\"amount\": 10}").statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("'admin' scope"));
        given().header("Authorization", "Bearer " + READ_TOKEN).delete("/v1/spend-limit").then().statusCode(403)
                .body("detail", containsString("'admin' scope"));
        assertThat(limits.changes()).isEmpty();
    }

    @Test
    void an_api_token_with_admin_sets_the_limit_in_its_own_name() {
        put("Bearer " + ADMIN_TOKEN, "{\"amount\": 10, \"hard\": false}").statusCode(200)
                .body("limit.hard", equalTo(false));
        assertThat(limits.changes()).singleElement().asString().startsWith("acme set 10.00 by token:");
    }

    @Test
    void each_invalid_field_of_a_limit_is_named_in_a_400_problem() {
        Map<String, String> cases = Map.of(
                "{\"amount\": 0}", "amount",
                "{\"amount\": -5}", "amount",
                "{\"amount\": \"1000000.01\"}", "amount",
                "{\"amount\": 10.001}", "amount",
                "{\"amount\": \"ten\"}", "amount",
                "{\"hard\": true}", "amount",
                "{\"amount\": 10, \"hard\": \"yes\"}", "hard",
                "{\"amount\": 10, \"alertThresholds\": \"75\"}", "alertThresholds",
                "{\"amount\": 10, \"alertThresholds\": [1,2,3,4,5,6,7,8,9,10,11]}", "alertThresholds");
        cases.forEach((body, field) -> put(Tokens.bearer("alice"), body).statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:nanofleet:problem:validation"))
                .body("errors.field", contains(field)));

        put(Tokens.bearer("alice"), "{\"amount\": 10, \"alertThresholds\": [90, 90, 0, 50.5, 101]}").statusCode(400)
                .body("errors.field", equalTo(List.of("alertThresholds[1]", "alertThresholds[2]",
                        "alertThresholds[3]", "alertThresholds[4]")));
        assertThat(limits.changes()).isEmpty();
    }

    @Test
    void a_body_that_is_not_json_or_names_a_field_twice_is_a_malformed_request() {
        for (String body : new String[]{"{\"amount\": ", "{\"amount\": 1, \"amount\": 900}", "{\"amount\": 1} []",
                "[]"}) {
            put(Tokens.bearer("alice"), body).statusCode(400).contentType("application/problem+json");
        }
        given().header("Authorization", Tokens.bearer("alice")).contentType("application/json")
                .put("/v1/spend-limit").then().statusCode(400)
                .body("type", equalTo("urn:nanofleet:problem:malformed-request"));
    }

    @Test
    void the_spend_limit_needs_a_token_and_a_tenant() {
        given().get("/v1/spend-limit").then().statusCode(401).contentType("application/problem+json");
        put(Tokens.bearer("ops"), "{\"amount\": 10}").statusCode(403).contentType("application/problem+json");
    }
}
