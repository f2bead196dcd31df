package dev.nanofleet.tenantbilling.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.tenantbilling.meter.BillingEventHandler;
import dev.nanofleet.tenantbilling.rating.BillingPeriods;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API on the real stores: facts metered from events become usage, a forecast, a final invoice in JSON, CSV
 * and PDF that only its tenant sees, a spend limit, and revenue for operators.
 */
@QuarkusTest
@TestProfile(MessagingOn.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
class BillingApiIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Inject
    BillingEventHandler handler;
    @Inject
    BillingPeriods periods;

    @Test
    void metered_events_are_served_as_usage_forecast_invoices_in_three_formats_limits_and_revenue() {
        String alice = KeycloakServer.shared().passwordToken("alice", "nanofleet");
        String bob = KeycloakServer.shared().passwordToken("bob", "nanofleet");
        String ops = KeycloakServer.shared().passwordToken("ops", "nanofleet");
        UUID web = UUID.randomUUID();
        UUID worker = UUID.randomUUID();
        handler.handle(Event.of("/it", Instant.now(), "acme", web.toString(), new DeploymentCreated(web, "acme",
                TenantTrust.UNTRUSTED, "web", "registry/web:1", new Resources(500, 256), Isolation.SHARED,
                List.of())));
        handler.handle(Event.of("/it", Instant.now(), "acme", worker.toString(), new DeploymentCreated(worker,
                "acme", TenantTrust.UNTRUSTED, "worker", "registry/worker:1", new Resources(1000, 1024),
                Isolation.HARDWARE, List.of())));
        // web ran two seconds of a period twenty seconds ago; worker has run hardware-isolated since a second ago
        Period period = periods.containing(Instant.now().minusSeconds(20));
        UUID webReplica = UUID.randomUUID();
        handler.handle(state(web, webReplica, InstanceState.RUNNING, period.start().plusSeconds(1),
                Isolation.SHARED, new Resources(500, 256)));
        handler.handle(state(web, webReplica, InstanceState.STOPPED, period.start().plusSeconds(3),
                Isolation.SHARED, new Resources(500, 256)));
        UUID workerReplica = UUID.randomUUID();
        handler.handle(state(worker, workerReplica, InstanceState.RUNNING, Instant.now().minusSeconds(1),
                Isolation.HARDWARE, new Resources(1000, 1024)));

        // periods last seconds here: once a whole second of the current one has passed, worker shows in it
        Await.untilAsserted(DEADLINE, "worker's usage in the current period", () -> {
            JsonPath usage = given().auth().oauth2(alice).get("/v1/usage").then().statusCode(200).extract()
                    .jsonPath();
            assertThat(usage.getList("rows.deploymentName", String.class)).contains("worker");
            assertThat(usage.getList("rows.isolation", String.class)).contains("hardware");
        });
        JsonPath forecast = given().auth().oauth2(alice).get("/v1/usage/forecast").then().statusCode(200).extract()
                .jsonPath();
        // 1 vCPU and 1 GiB hardware-isolated: (0.0000135 + 0.0000019) USD a second
        assertThat(new BigDecimal(forecast.getString("perHour"))).isEqualByComparingTo("0.05544");

        String id = Await.value(DEADLINE, "alice's invoice for web's period", () -> {
            List<Map<String, Object>> invoices = given().auth().oauth2(alice).get("/v1/invoices").then()
                    .statusCode(200).extract().jsonPath().getList("");
            return invoices.stream().filter(i -> period.start().toString().equals(
                    ((Map<?, ?>) i.get("period")).get("start"))).map(i -> (String) i.get("id")).findFirst()
                    .orElse(null);
        });
        JsonPath invoice = given().auth().oauth2(alice).get("/v1/invoices/" + id).then().statusCode(200).extract()
                .jsonPath();
        assertThat(invoice.getList("lines.deploymentName", String.class)).containsOnly("web");
        // 2 s of half a core and a quarter GiB, shared: 1.0 vCPU-s and 0.5 GiB-s
        assertThat(new BigDecimal(invoice.getString("lines.find { it.resource == 'vcpu' }.quantity")))
                .isEqualByComparingTo("1.0");
        assertThat(new BigDecimal(invoice.getString("total"))).isEqualByComparingTo("0.00001185");
        assertThat(new BigDecimal(invoice.getString("amountDue"))).isEqualByComparingTo("0.00");
        String csv = given().auth().oauth2(alice).get("/v1/invoices/" + id + ".csv").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv.lines().count()).isEqualTo(3);
        assertThat(csv).contains("web");
        byte[] pdf = given().auth().oauth2(alice).get("/v1/invoices/" + id + ".pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        // another tenant's invoice does not exist for bob
        given().auth().oauth2(bob).get("/v1/invoices/" + id).then().statusCode(404);
        given().auth().oauth2(bob).get("/v1/invoices/" + id + ".pdf").then().statusCode(404);

        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("amount", "5.00", "hard", false))
                .put("/v1/spend-limit").then().statusCode(200);
        String limitJson = given().auth().oauth2(alice).get("/v1/spend-limit").then().statusCode(200).extract()
                .asString();
        JsonPath limit = JsonPath.from(limitJson);
        // the amount is written exactly, with its cents (JsonPath itself would read it as a float)
        assertThat(limitJson).contains("\"amount\":5.00");
        assertThat(limit.getBoolean("limit.hard")).isFalse();
        assertThat(limit.getString("heldSince")).isNull();

        JsonPath revenue = given().auth().oauth2(ops).get("/v1/operator/revenue").then().statusCode(200).extract()
                .jsonPath();
        assertThat(revenue.getList("byTenant.tenant", String.class)).contains("acme");
        assertThat(revenue.getList("byIsolation.isolation", String.class)).contains("shared", "hardware");
        given().auth().oauth2(alice).get("/v1/operator/revenue").then().statusCode(403);

        handler.handle(state(worker, workerReplica, InstanceState.STOPPED, Instant.now(), Isolation.HARDWARE,
                new Resources(1000, 1024)));
        given().auth().oauth2(alice).delete("/v1/spend-limit").then().statusCode(200);
    }

    private static Event<?> state(UUID deployment, UUID instance, InstanceState state, Instant at,
            Isolation isolation, Resources resources) {
        return Event.of("/it", at, "acme", instance.toString(), new InstanceStateChanged(instance, deployment,
                "node-1", state, null, null, isolation, resources));
    }
}
