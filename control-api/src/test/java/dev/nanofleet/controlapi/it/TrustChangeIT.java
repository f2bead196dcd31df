package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
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
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Lowering a tenant's trust moves its shared-kernel replicas to hardware isolation without a gap: each replacement is
 * placed hardware-isolated and the replica it replaces stops only once the replacement runs. The test plays the
 * scheduler (placement events on Kafka) and the node (reports through the node API).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class TrustChangeIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 8000, "memoryMiB": 16384}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {}, "agentVersion": "0.1.0"}""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void lowering_trust_replaces_each_running_shared_replica_with_a_hardware_one_before_stopping_it() {
        TenantFixture tenant = TenantFixture.create("trusted", null).firstSignIn();
        String token = tenant.token();
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", "test-a")).then().statusCode(200);
        String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(body(uniqueName("trust")).replace("\"isolation\": \"auto\"", "\"isolation\": \"shared\""))
                .post("/v1/deployments").then().statusCode(201).extract().path("id");
        List<String> old = deployment(token, id).getList("instances.id");
        for (String instance : old) {
            awaitProcessed(SchedulerStandIn.publish(tenant.id(), instance,
                    new InstancePlaced(UUID.fromString(instance), UUID.fromString(id),
                            "test-a", Isolation.SHARED)));
            report(instance, "RUNNING");
        }
        // the rollout worker finishes the first rollout on its own thread; a trust change meanwhile may meet its
        // write and be answered 409 (retry), which is the API's contract but not what this test is about
        Await.until(DEADLINE, "the first rollout complete",
                () -> "complete".equals(deployment(token, id).getString("rollout.state")));

        // the tenant holds shared kernels, so it reads trusted until they are gone; new work is hardware from now on
        TenantApiIT.patch(tenant.id(), "{\"trust\": \"untrusted\"}").statusCode(200).body("trust", equalTo("trusted"))
                .body("pendingTrust", equalTo("untrusted"));
        assertNeverUntrustedWithASharedKernel(tenant.id(), token, id);

        JsonPath after = deployment(token, id);
        assertThat(after.getString("isolation")).isEqualTo("hardware");
        assertThat(after.getList("instances.id", String.class)).hasSize(4);
        // the shared replicas still run: nothing has replaced them yet
        for (String instance : old) {
            assertThat(after.getString(one(instance, "desiredState"))).isEqualTo("running");
            assertThat(after.getString(one(instance, "state"))).isEqualTo("running");
        }
        List<String> replacements = after.getList("instances.findAll { it.state == 'pending' }.id", String.class);
        assertThat(replacements).hasSize(2);
        // the scheduler is told to place the replacements hardware-isolated, for an untrusted tenant
        DeploymentScaled scaled = ScaleDeploymentIT.awaitScaled(id, s -> !s.added().isEmpty()).getLast();
        assertThat(scaled.isolation()).isEqualTo(Isolation.HARDWARE);
        assertThat(scaled.tenantTrust()).isEqualTo(TenantTrust.UNTRUSTED);
        assertThat(scaled.added()).extracting(r -> r.instanceId().toString())
                .containsExactlyInAnyOrderElementsOf(replacements);
        assertThat(scaled.removed()).isEmpty();

        // a replacement that runs stops one old replica, and only then
        String first = replacements.get(0);
        awaitProcessed(SchedulerStandIn.publish(tenant.id(), first,
                new InstancePlaced(UUID.fromString(first), UUID.fromString(id), "test-a",
                        Isolation.HARDWARE)));
        assertThat(deployment(token, id).getList("instances.findAll { it.desiredState == 'stopped' }")).isEmpty();
        report(first, "RUNNING");
        assertNeverUntrustedWithASharedKernel(tenant.id(), token, id);
        JsonPath oneReplaced = deployment(token, id);
        assertThat(oneReplaced.getList("instances.findAll { it.desiredState == 'stopped' }.id", String.class))
                .hasSize(1).allMatch(old::contains);
        assertThat(oneReplaced.getString(one(first, "isolation"))).isEqualTo("hardware");

        String second = replacements.get(1);
        awaitProcessed(SchedulerStandIn.publish(tenant.id(), second,
                new InstancePlaced(UUID.fromString(second), UUID.fromString(id), "test-a",
                        Isolation.HARDWARE)));
        report(second, "RUNNING");
        JsonPath done = deployment(token, id);
        assertThat(done.getList("instances.findAll { it.desiredState == 'stopped' }.id", String.class))
                .containsExactlyInAnyOrderElementsOf(old);
        // told to stop is not stopped: until the node says so, the tenant still holds shared kernels
        assertNeverUntrustedWithASharedKernel(tenant.id(), token, id);
        tenant(tenant.id()).body("trust", equalTo("trusted")).body("pendingTrust", equalTo("untrusted"));
        report(old.get(0), "STOPPED");
        assertNeverUntrustedWithASharedKernel(tenant.id(), token, id);
        tenant(tenant.id()).body("trust", equalTo("trusted"));
        report(old.get(1), "STOPPED");
        tenant(tenant.id()).body("trust", equalTo("untrusted")).body("pendingTrust", equalTo(null));
        assertNeverUntrustedWithASharedKernel(tenant.id(), token, id);
        assertThat(done.getList("instances.findAll { it.desiredState == 'running' }.isolation", String.class))
                .containsOnly("hardware").hasSize(2);

        // and from now on the tenant gets no shared kernel
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(body(uniqueName("trust")).replace("\"isolation\": \"auto\"", "\"isolation\": \"shared\""))
                .post("/v1/deployments").then().statusCode(422);
    }

    @Test
    void a_tenant_holding_no_shared_kernel_is_untrusted_at_once() {
        TenantFixture tenant = TenantFixture.create("trusted", null);
        TenantApiIT.patch(tenant.id(), "{\"trust\": \"untrusted\"}").statusCode(200).body("trust", equalTo("untrusted"))
                .body("pendingTrust", equalTo(null));
    }

    /** The invariant: whenever the tenant reads untrusted, none of its replicas is on a shared kernel. */
    private static void assertNeverUntrustedWithASharedKernel(String tenant, String token, String deployment) {
        if (!"untrusted".equals(tenant(tenant).extract().path("trust"))) {
            return;
        }
        JsonPath d = deployment(token, deployment);
        assertThat(d.getList("instances.findAll { it.isolation == 'shared' && !(it.state in ['stopped', 'exited',"
                + " 'failed']) }")).as("shared-kernel replicas of an untrusted tenant").isEmpty();
    }

    private static io.restassured.response.ValidatableResponse tenant(String id) {
        return given().auth().oauth2(Tokens.user("ops")).get("/v1/tenants/" + id).then().statusCode(200);
    }

    private static JsonPath deployment(String token, String id) {
        return given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static String one(String instanceId, String field) {
        return "instances.find { it.id == '" + instanceId + "' }." + field;
    }

    private static void report(String instanceId, String state) {
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                .body("{\"state\": \"" + state + "\"}")
                .put(NodeApi.INSTANCE_STATUS.replace("{node}", "test-a").replace("{instanceId}", instanceId)).then()
                .statusCode(204);
    }

    private void awaitProcessed(Event<?> event) {
        SchedulerStandIn.awaitProcessed(dataSource, event);
    }
}
