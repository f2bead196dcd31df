package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hard spend limit stops a real tenant's spending: tenant-billing meters a running replica (in its own VM: the
 * node's kernel may belong to another journey's tenant), the limit is reached, control-api stops the deployment through
 * the node agent and refuses more with 402, and raising the limit lets the tenant start it again. The e2e-tests build
 * prices CPU at 0.01 USD per vCPU-second (its failsafe environment), so a cent is spent in seconds.
 */
class SpendLimitJourneyIT {

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static SharedPlatform platform;
    private static String billing;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = SharedPlatform.get();
        billing = platform.platform.environment().get("NANOFLEET_BILLING_URL");
    }

    @Test
    void a_hard_limit_stops_the_tenants_instances_refuses_more_and_a_raised_limit_lets_it_start_again() {
        String token = newTrustedTenant();
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body(deployment("capped-web"))
                .post(platform.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        awaitStates(token, id, "running");

        Instant limitSet = Instant.now();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("amount", "0.01", "hard", true))
                .put(billing + "/v1/spend-limit").then().statusCode(200);

        JsonPath held = Await.value(DEADLINE, "the tenant held by its limit", () -> {
            JsonPath status = given().auth().oauth2(token).get(billing + "/v1/spend-limit").then().statusCode(200)
                    .extract().jsonPath();
            return status.getString("heldSince") != null ? status : null;
        });
        Instant heldSince = Instant.parse(held.getString("heldSince"));
        awaitStates(token, id, "stopped");
        long heldToStoppedMs = Duration.between(heldSince, Instant.now()).toMillis();
        // the hold follows the limit's change at once when the spend is over it already, else the next spend check
        System.out.println("spend-limit journey: set_to_held_ms=" + Duration.between(limitSet, heldSince).toMillis()
                + " held_to_all_stopped_ms<=" + heldToStoppedMs);

        JsonPath refused = given().auth().oauth2(token).contentType(ContentType.JSON).body(deployment("more"))
                .post(platform.api + "/v1/deployments").then().statusCode(402)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(refused.getString("detail")).contains("0.01");
        assertThat(refused.getString("limit")).isNotNull();
        assertThat(refused.getString("spend")).isNotNull();
        given().auth().oauth2(token).post(platform.api + "/v1/deployments/" + id + "/start").then().statusCode(402);

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("amount", "1000", "hard", true))
                .put(billing + "/v1/spend-limit").then().statusCode(200);
        Await.until(DEADLINE, "control-api lets the tenant start its deployment again",
                () -> given().auth().oauth2(token).post(platform.api + "/v1/deployments/" + id + "/start").then()
                        .extract().statusCode() / 100 == 2);
        awaitStates(token, id, "running");

        // what it spent is billed: usage so far names the deployment in shared-kernel mode
        JsonPath usage = given().auth().oauth2(token).get(billing + "/v1/usage").then().statusCode(200).extract()
                .jsonPath();
        assertThat(usage.getList("rows.deploymentName", String.class)).contains("capped-web");
        assertThat(usage.getList("rows.isolation", String.class)).containsOnly("hardware");

        given().auth().oauth2(token).delete(platform.api + "/v1/deployments/" + id).then().statusCode(202);
        given().auth().oauth2(token).delete(billing + "/v1/spend-limit").then().statusCode(200);
    }

    /** A tenant of its own, so holding it stops nobody else's journey. */
    private static String newTrustedTenant() {
        String tenant = "spend" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String user = "owner-" + tenant;
        String ops = platform.keycloak.passwordToken("ops", "nanofleet");
        given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("id", tenant, "name", "Spend " + tenant, "trust", "trusted", "firstUser",
                        Map.of("username", user, "email", user + "@example.test")))
                .post(platform.api + "/v1/tenants").then().statusCode(201);
        platform.keycloak.completeFirstSignIn(user, "chosen-by-" + user);
        return platform.keycloak.passwordToken(user, "chosen-by-" + user);
    }

    private static Map<String, Object> deployment(String name) {
        return Map.of("name", name, "image", platform.platform.environment().get("NANOFLEET_DEMO_IMAGE"),
                "replicas", 1, "resources", Map.of("cpuMillis", 250, "memoryMiB", 64), "isolation", "hardware",
                "command", List.of("/bin/sh", "-c", "exec " + String.join(" ", DemoImage.ENTRYPOINT)));
    }

    /** Waits until every replica that is to run (or already is in {@code state}) is in it; says what it saw last. */
    private static void awaitStates(String token, String id, String state) {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            Await.until(DEADLINE, "every replica of " + id + " " + state, () -> {
                JsonPath deployment = given().auth().oauth2(token).get(platform.api + "/v1/deployments/" + id).then()
                        .statusCode(200).extract().jsonPath();
                last.set(deployment.prettify());
                List<String> states = deployment.getList("instances.findAll { it.desiredState == 'running' "
                        + "|| it.state == '" + state + "' }.state", String.class);
                return !states.isEmpty() && states.stream().allMatch(state::equals);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast answer: " + last.get(), e);
        }
    }
}
