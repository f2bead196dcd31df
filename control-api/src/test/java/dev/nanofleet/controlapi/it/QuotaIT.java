package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Quotas per isolation mode: refusals name the quota, use is shown, and parallel creates never overshoot. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class QuotaIT {

    @Test
    void a_create_or_scale_past_a_quota_is_refused_naming_the_quota_its_limit_the_use_and_the_ask() {
        TenantFixture tenant = TenantFixture.create("trusted",
                "{\"hardware\": {\"instances\": 3, \"memoryMiB\": 1024}, \"shared\": {\"cpuMillis\": 1000}}")
                .firstSignIn();
        String token = tenant.token();
        String id = deploy(token, "hardware", 2, 100, 128).statusCode(201).extract().path("id");

        deploy(token, "hardware", 2, 100, 128).statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:quota-exceeded"))
                .body("quota.name", equalTo("hardware.instances")).body("quota.limit", equalTo(3))
                .body("quota.used", equalTo(2)).body("quota.requested", equalTo(2))
                .body("detail", containsString("hardware.instances"));
        deploy(token, "hardware", 1, 100, 900).statusCode(422).body("quota.name", equalTo("hardware.memoryMiB"))
                .body("quota.used", equalTo(256)).body("quota.requested", equalTo(900));
        // the modes are counted apart: the shared quota has its own room
        deploy(token, "shared", 2, 500, 128).statusCode(201);
        deploy(token, "shared", 1, 50, 64).statusCode(422).body("quota.name", equalTo("shared.cpuMillis"));

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"replicas\": 4}")
                .patch("/v1/deployments/" + id).then().statusCode(422)
                .body("quota.name", equalTo("hardware.instances")).body("quota.requested", equalTo(2));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"replicas\": 3}")
                .patch("/v1/deployments/" + id).then().statusCode(200);

        JsonPath usage = given().auth().oauth2(token).get("/v1/tenants/" + tenant.id() + "/usage").then()
                .statusCode(200).extract().jsonPath();
        assertThat(usage.getInt("quotas.find { it.isolation == 'hardware' && it.resource == 'instances' }.used"))
                .isEqualTo(3);
        assertThat(usage.getInt("quotas.find { it.isolation == 'hardware' && it.resource == 'instances' }.limit"))
                .isEqualTo(3);
        assertThat(usage.getInt("quotas.find { it.isolation == 'hardware' && it.resource == 'memoryMiB' }.used"))
                .isEqualTo(384);
        assertThat(usage.getInt("quotas.find { it.isolation == 'shared' && it.resource == 'cpuMillis' }.used"))
                .isEqualTo(1000);

        // deleting frees the room, and an operator's raise takes effect on the next request
        given().auth().oauth2(token).delete("/v1/deployments/" + id).then().statusCode(202);
        deploy(token, "hardware", 3, 100, 128).statusCode(201);
        deploy(token, "hardware", 1, 100, 128).statusCode(422);
        TenantApiIT.patch(tenant.id(), "{\"quotas\": {\"hardware\": {\"instances\": 4}}}").statusCode(200)
                .body("quotas.hardware.instances", equalTo(4)).body("quotas.hardware.memoryMiB", equalTo(1024));
        deploy(token, "hardware", 1, 100, 128).statusCode(201);
    }

    @Test
    void twelve_parallel_creates_against_room_for_five_admit_exactly_five() throws Exception {
        TenantFixture tenant = TenantFixture.create("untrusted", "{\"hardware\": {\"instances\": 5}}").firstSignIn();
        String token = tenant.token();
        int callers = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return deploy(token, "hardware", 1, 100, 64).extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(201, 422);
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        } finally {
            pool.shutdownNow();
        }
        JsonPath usage = given().auth().oauth2(token).get("/v1/tenants/" + tenant.id() + "/usage").then()
                .statusCode(200).extract().jsonPath();
        assertThat(usage.getInt("quotas.find { it.isolation == 'hardware' && it.resource == 'instances' }.used"))
                .isEqualTo(5);
        assertThat(given().auth().oauth2(token).get("/v1/deployments").then().statusCode(200).extract().jsonPath()
                .getList("id")).hasSize(5);
    }

    private static ValidatableResponse deploy(String token, String isolation, int replicas, int cpu, int memory) {
        String json = """
                {"name": "%s", "image": "busybox:1.36", "replicas": %d, "isolation": "%s",
                 "resources": {"cpuMillis": %d, "memoryMiB": %d}}""".formatted(uniqueName("q"), replicas, isolation,
                cpu,
                memory);
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).post("/v1/deployments").then();
    }
}
