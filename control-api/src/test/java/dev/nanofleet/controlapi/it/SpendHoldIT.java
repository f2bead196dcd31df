package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventPayload;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.SpendLimitLifted;
import dev.nanofleet.events.SpendLimitReached;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tenant's hard spend limit against real PostgreSQL, Kafka and Keycloak: the test plays billing (limit events on
 * Kafka), the scheduler (placements) and the node (reports), and checks that a reached limit stops what runs, refuses
 * what would spend more with a 402, and that a lift, in event-time order, gives the tenant its hand back.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class SpendHoldIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 8000, "memoryMiB": 16384}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {}, "agentVersion": "0.1.0"}""";
    private static final Instant PERIOD_START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant PERIOD_END = Instant.parse("2027-01-01T00:00:00Z");
    private static final String SPEND_LIMIT_REACHED = "urn:nanofleet:problem:spend-limit-reached";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_reached_limit_stops_what_runs_and_refuses_what_would_spend_more_until_it_is_lifted() {
        TenantFixture tenant = TenantFixture.create("trusted", null).firstSignIn();
        String token = tenant.token();
        String web = running(tenant, token, 2);
        String worker = running(tenant, token, 1);
        List<String> webReplicas = deployment(token, web).getList("instances.id");

        // PostgreSQL keeps microseconds: a time of whole milliseconds reads back as sent
        Event<SpendLimitReached> reached = publish(
                reached(tenant.id(), Instant.now().truncatedTo(ChronoUnit.MILLIS), "25.00", "25.00"));
        awaitProcessed(reached);

        // both stopped as POST /stop stops them: no replica desired running, the node told to stop them, spec kept
        for (String id : List.of(web, worker)) {
            Await.untilAsserted(DEADLINE, "deployment " + id + " stopped by the spend limit",
                    () -> deploymentResponse(token, id).body("stoppedAt", notNullValue())
                            .body("instances.desiredState", everyItem(equalTo("stopped"))));
        }
        for (String replica : webReplicas) {
            assignments().body("assignments.find { it.instanceId == '" + replica + "' }.desiredState",
                    equalTo("STOPPED"));
        }
        deploymentResponse(token, web).body("image", equalTo("busybox:1.36")).body("replicas", equalTo(2));
        // the stop names billing in the deployment's events
        Map<String, Object> stopped = awaitEvent(token, web, "deployment.stopped");
        assertThat(stopped.get("actor")).isEqualTo("billing");

        // the tenant sees the hold (whoami, its usage) and so do operators (the tenant view)
        JsonPath me = given().auth().oauth2(token).get("/v1/me").then().statusCode(200).extract().jsonPath();
        assertThat(me.getString("spendHold.limit")).isEqualTo("25.00");
        assertThat(me.getString("spendHold.spend")).isEqualTo("25.00");
        assertThat(me.getString("spendHold.currency")).isEqualTo("USD");
        assertThat(Instant.parse(me.getString("spendHold.periodEnd"))).isEqualTo(PERIOD_END);
        assertThat(Instant.parse(me.getString("spendHold.since"))).isEqualTo(reached.time());
        given().auth().oauth2(token).get("/v1/tenants/" + tenant.id() + "/usage").then().statusCode(200)
                .body("spendHold.limit", equalTo("25.00"));
        given().auth().oauth2(Tokens.user("ops")).get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("spendHold.spend", equalTo("25.00")).body("spendHold.currency", equalTo("USD"));

        // what would spend more: 402 with the figures
        refused(given().auth().oauth2(token).contentType(ContentType.JSON).body(body(uniqueName("more")))
                .post("/v1/deployments").then());
        refused(patch(token, web, "{\"replicas\": 3}"));
        refused(patch(token, web, "{\"resources\": {\"cpuMillis\": 500, \"memoryMiB\": 128}}"));
        refused(post(token, web, "start"));
        deploymentResponse(token, web).body("replicas", equalTo(2)).body("stoppedAt", notNullValue());
        given().auth().oauth2(token).get("/v1/deployments").then().statusCode(200).body("size()", equalTo(2));

        // what spends less, and reading, still work
        patch(token, web, "{\"replicas\": 1}").statusCode(200).body("replicas", equalTo(1));
        post(token, web, "stop").statusCode(200);
        given().auth().oauth2(token).delete("/v1/deployments/" + worker).then().statusCode(202);

        // lifted: the hold is gone, the deployment stays stopped until the tenant starts it
        awaitProcessed(publish(lifted(tenant.id(), Instant.now())));
        given().auth().oauth2(token).get("/v1/me").then().statusCode(200).body("spendHold", nullValue());
        given().auth().oauth2(Tokens.user("ops")).get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("spendHold", nullValue());
        deploymentResponse(token, web).body("stoppedAt", notNullValue());
        post(token, web, "start").statusCode(200).body("stoppedAt", nullValue());
        patch(token, web, "{\"replicas\": 2}").statusCode(200).body("replicas", equalTo(2));

        // the reached event again (a redelivery, same id) changes nothing: a later lift of the same partition having
        // been applied means the redelivery was handled before it
        publish(reached);
        awaitProcessed(publish(lifted(tenant.id(), Instant.now())));
        deploymentResponse(token, web).body("stoppedAt", nullValue())
                .body("instances.findAll { it.desiredState == 'running' }.size()", equalTo(2));
        given().auth().oauth2(token).get("/v1/me").then().statusCode(200).body("spendHold", nullValue());
    }

    @Test
    void a_lift_older_than_the_hold_does_not_clear_it() {
        TenantFixture tenant = TenantFixture.create("trusted", null).firstSignIn();
        String token = tenant.token();
        String web = running(tenant, token, 1);
        Instant holdTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // billing: reached, lifted, reached again; the lift is redelivered late, after the second hold
        awaitProcessed(publish(reached(tenant.id(), holdTime.minusSeconds(120), "25.00", "25.00")));
        Event<SpendLimitReached> renewed = publish(reached(tenant.id(), holdTime, "50.00", "50.00"));
        awaitProcessed(renewed);
        awaitProcessed(publish(lifted(tenant.id(), holdTime.minusSeconds(60))));

        JsonPath me = given().auth().oauth2(token).get("/v1/me").then().statusCode(200).extract().jsonPath();
        assertThat(me.getString("spendHold.limit")).isEqualTo("50.00");
        // the hold began with the first reached event and was never cleared
        assertThat(Instant.parse(me.getString("spendHold.since"))).isEqualTo(holdTime.minusSeconds(120));
        refused(post(token, web, "start")).body("limit", equalTo("50.00"));

        // a lift newer than the hold clears it
        awaitProcessed(publish(lifted(tenant.id(), holdTime.plusSeconds(1))));
        post(token, web, "start").statusCode(200);
    }

    @Test
    void an_event_of_a_tenant_control_api_does_not_know_is_ignored() {
        Event<SpendLimitReached> unknown = publish(reached("no-such-tenant-" + UUID.randomUUID(), Instant.now(),
                "25.00", "25.00"));
        awaitProcessed(unknown);
        Event<SpendLimitLifted> lifted = publish(lifted("no-such-tenant-" + UUID.randomUUID(), Instant.now()));
        awaitProcessed(lifted);
        // the consumer goes on: a later event of a known tenant still applies
        TenantFixture tenant = TenantFixture.create("trusted", null).firstSignIn();
        awaitProcessed(publish(reached(tenant.id(), Instant.now(), "10", "10.5")));
        given().auth().oauth2(tenant.token()).get("/v1/me").then().statusCode(200)
                .body("spendHold.spend", equalTo("10.50"));
    }

    /** A deployment of the tenant whose replicas are placed on test-a and reported RUNNING. */
    private String running(TenantFixture tenant, String token, int replicas) {
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", "test-a")).then().statusCode(200);
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(body(uniqueName("spend")).replace("\"replicas\": 2", "\"replicas\": " + replicas))
                .post("/v1/deployments").then().statusCode(201).extract().path("id");
        for (String instance : deployment(token, id).getList("instances.id", String.class)) {
            awaitProcessed(SchedulerStandIn.publish(tenant.id(), instance, new InstancePlaced(
                    UUID.fromString(instance), UUID.fromString(id), "test-a", Isolation.SHARED)));
            given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                    .body("{\"state\": \"RUNNING\"}").put(NodeApi.INSTANCE_STATUS.replace("{node}", "test-a")
                            .replace("{instanceId}", instance))
                    .then().statusCode(204);
        }
        deploymentResponse(token, id).body("instances.state", everyItem(equalTo("running")));
        return id;
    }

    private static ValidatableResponse refused(ValidatableResponse response) {
        return response.statusCode(402).contentType("application/problem+json")
                .body("type", endsWith("spend-limit-reached")).body("type", equalTo(SPEND_LIMIT_REACHED))
                .body("title", equalTo("Spend limit reached")).body("status", equalTo(402))
                .body("detail", containsString("spend limit of")).body("limit", notNullValue())
                .body("spend", notNullValue()).body("currency", equalTo("USD"))
                .body("periodEnd", equalTo(PERIOD_END.toString()));
    }

    private static Event<SpendLimitReached> reached(String tenant, Instant at, String limit, String spend) {
        return billing(tenant, at, new SpendLimitReached(tenant, PERIOD_START, PERIOD_END, new BigDecimal(limit),
                new BigDecimal(spend), "USD"));
    }

    private static Event<SpendLimitLifted> lifted(String tenant, Instant at) {
        return billing(tenant, at, new SpendLimitLifted(tenant, PERIOD_START, new BigDecimal("100.00"),
                new BigDecimal("25.00"), "USD", "limit raised to 100.00 USD"));
    }

    private static <T extends EventPayload> Event<T> billing(String tenant, Instant at, T payload) {
        return Event.of("tenant-billing-it", at, tenant, tenant, payload);
    }

    private static <T extends EventPayload> Event<T> publish(Event<T> event) {
        return SchedulerStandIn.publish(event);
    }

    private void awaitProcessed(Event<?> event) {
        SchedulerStandIn.awaitProcessed(dataSource, event);
    }

    private static ValidatableResponse patch(String token, String id, String json) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).patch("/v1/deployments/" + id)
                .then();
    }

    private static ValidatableResponse post(String token, String id, String action) {
        return given().auth().oauth2(token).post("/v1/deployments/" + id + "/" + action).then();
    }

    private static ValidatableResponse deploymentResponse(String token, String id) {
        return given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200);
    }

    private static JsonPath deployment(String token, String id) {
        return deploymentResponse(token, id).extract().jsonPath();
    }

    private static ValidatableResponse assignments() {
        return given().auth().oauth2(Tokens.node("test-a")).get(NodeApi.ASSIGNMENTS.replace("{node}", "test-a"))
                .then().statusCode(200);
    }

    /** Waits until the event log holds an event of the type about the deployment, and returns it. */
    private static Map<String, Object> awaitEvent(String token, String deployment, String type) {
        return Await.value(DEADLINE, type + " of " + deployment + " in the event log", () -> {
            List<Map<String, Object>> found = given().auth().oauth2(token).queryParam("deployment", deployment)
                    .queryParam("type", type).get("/v1/events").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            return found.isEmpty() ? null : found.getLast();
        });
    }
}
