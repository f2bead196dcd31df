package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tenant past its request rate gets 429 problems with Retry-After; other tenants and nodes are not slowed. */
@QuarkusTest
@TestProfile(RateLimitIT.SmallLimit.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class RateLimitIT {

    /** A burst of 5 and one request a second, so the test spends the burst at once. */
    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nanofleet.rate-limit.burst", "5", "nanofleet.rate-limit.per-second", "1");
        }
    }

    @Test
    void a_tenant_past_its_burst_is_told_to_retry_later_and_another_tenant_is_not() {
        String bob = Tokens.user("bob");
        Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            Response response = given().auth().oauth2(bob).get("/v1/deployments");
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).as("a 429 within 20 requests against a burst of 5").isNotNull();
        refused.then().contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:rate-limited"))
                .body("status", equalTo(429)).body("detail", containsString("tenant:globex"));
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);

        // the limit is the tenant's, not everyone's
        given().auth().oauth2(Tokens.user("alice")).get("/v1/deployments").then().statusCode(200);
        // anonymous callers still learn they need a token, not that they are slowed
        given().get("/v1/deployments").then().statusCode(401);
    }
}
