package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revisions, rolling updates, rollback, stop, start and restart, as control-api drives them. The test plays the
 * scheduler (placement events on Kafka) and a node that runs whatever it is given and reports it through the node API,
 * healthy or failing as each case needs; the same journeys run on a real node in e2e-tests.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class RolloutIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String NODE = "test-b";
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 64000, "memoryMiB": 262144}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {}, "agentVersion": "0.1.0"}""";

    @Inject
    AgroalDataSource dataSource;

    private TenantFixture tenant;
    private String token;

    @BeforeEach
    void tenant_and_node() {
        tenant = TenantFixture.create("trusted", null).firstSignIn();
        token = tenant.token();
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then().statusCode(200);
    }

    private String create(int replicas, String extra) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                {"name": "%s", "image": "busybox:1.36", "replicas": %d, "isolation": "shared",
                 "resources": {"cpuMillis": 100, "memoryMiB": 64}, "command": ["httpd", "-f"]%s}"""
                .formatted(uniqueName("roll"), replicas, extra)).post("/v1/deployments").then().statusCode(201)
                .extract().path("id");
    }

    private static final String HTTP_CHECK = """
            , "healthCheck": {"type": "http", "port": 80, "path": "/healthz", "intervalSeconds": 1}""";

    @Test
    void an_update_rolls_out_replica_by_replica_never_with_fewer_healthy_replicas_than_allowed() {
        String id = create(3, HTTP_CHECK);
        Node node = new Node(id, Set.of());
        node.converge(d -> "complete".equals(d.getString("rollout.state")));
        assertThat(deployment(id).getInt("revision")).isEqualTo(1);

        patch(id, "{\"image\": \"busybox:1.37\", \"env\": {\"V\": \"2\"}}").statusCode(200).body("revision", equalTo(2))
                .body("rollout.state", equalTo("progressing")).body("image", equalTo("busybox:1.37"));
        List<Integer> healthy = node.converge(d -> "complete".equals(d.getString("rollout.state")));

        // maxUnavailable 25% of 3 rounds down to 0: three healthy replicas at every moment sampled
        assertThat(healthy).isNotEmpty().allMatch(n -> n >= 3);
        JsonPath done = deployment(id);
        assertThat(done.getList("instances.findAll { it.desiredState == 'running' }.revision", Integer.class))
                .containsExactly(2, 2, 2);
        assertThat(done.getList("instances.findAll { it.revision == 1 }.desiredState", String.class)).hasSize(3)
                .containsOnly("stopped");
        assertThat(done.getInt("rollout.ready")).isEqualTo(3);
        // never more than 3 + maxSurge (25% of 3 rounds up to 1) desired running at once: one new replica at a time
        assertThat(node.mostDesiredRunning).isEqualTo(4);

        JsonPath revisions = given().auth().oauth2(token).get("/v1/deployments/" + id + "/revisions").then()
                .statusCode(200).extract().jsonPath();
        assertThat(revisions.getList("revision", Integer.class)).containsExactly(2, 1);
        assertThat(revisions.getList("current", Boolean.class)).containsExactly(true, false);
        assertThat(revisions.getList("[0].changed", String.class)).containsExactly("image", "env");
        assertThat(revisions.getString("[0].diff.find { it.field == 'image' }.from")).isEqualTo("busybox:1.36");
        assertThat(revisions.getString("[0].diff.find { it.field == 'image' }.to")).isEqualTo("busybox:1.37");
        assertThat(revisions.getString("[0].actor")).startsWith("user:");
        assertThat(revisions.getString("[0].cause")).isEqualTo("update");

        // scaling alone makes no revision
        patch(id, "{\"replicas\": 2}").statusCode(200).body("revision", equalTo(2));
    }

    @Test
    void a_revision_whose_replicas_fail_is_rolled_back_by_itself_to_the_last_complete_one() {
        String id = create(2, HTTP_CHECK);
        new Node(id, Set.of()).converge(d -> "complete".equals(d.getString("rollout.state")));

        patch(id, "{\"image\": \"busybox:does-not-exist\"}").statusCode(200).body("revision", equalTo(2));
        Node failing = new Node(id, Set.of(2));
        failing.converge(d -> d.getInt("revision") == 3 && "complete".equals(d.getString("rollout.state")));

        JsonPath done = deployment(id);
        assertThat(done.getString("image")).isEqualTo("busybox:1.36");
        assertThat(done.getList("instances.findAll { it.desiredState == 'running' }.revision", Integer.class))
                .containsOnly(3).hasSize(2);
        JsonPath revisions = given().auth().oauth2(token).get("/v1/deployments/" + id + "/revisions").then()
                .statusCode(200).extract().jsonPath();
        assertThat(revisions.getString("[0].cause")).isEqualTo("auto-rollback");
        assertThat(revisions.getInt("[0].rollbackOf")).isEqualTo(1);
        assertThat(revisions.getString("[0].actor")).isNull();
        // the failed revision's replica never served, and the old ones were never stopped for it
        assertThat(failing.healthySamples).allMatch(n -> n >= 2);
    }

    @Test
    void one_call_rolls_back_to_the_previous_revision_or_a_named_one() {
        String id = create(1, "");
        Node node = new Node(id, Set.of());
        node.converge(d -> "complete".equals(d.getString("rollout.state")));
        patch(id, "{\"command\": [\"sleep\", \"99\"]}").statusCode(200);
        node.converge(d -> "complete".equals(d.getString("rollout.state")));

        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/v1/deployments/" + id
                + "/rollback").then().statusCode(200).body("revision", equalTo(3))
                .body("command", equalTo(List.of("httpd", "-f")));
        node.converge(d -> "complete".equals(d.getString("rollout.state")));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"revision\": 2}").post("/v1/deployments/"
                + id + "/rollback").then().statusCode(200).body("revision", equalTo(4))
                .body("command", equalTo(List.of("sleep", "99")));

        problem(given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"revision\": 9}")
                .post("/v1/deployments/" + id + "/rollback").then(), 400).body("errors[0].field", equalTo("revision"));
        problem(given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"revision\": 4}")
                .post("/v1/deployments/" + id + "/rollback").then(), 409);
        problem(given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"revision\": \"two\"}")
                .post("/v1/deployments/" + id + "/rollback").then(), 400);
    }

    @Test
    void stop_frees_every_replica_and_start_brings_the_same_revision_back() {
        String id = create(2, "");
        Node node = new Node(id, Set.of());
        node.converge(d -> "complete".equals(d.getString("rollout.state")));
        List<String> before = deployment(id).getList("instances.id", String.class);

        post(id, "stop").statusCode(200).body("stoppedAt", org.hamcrest.Matchers.notNullValue());
        DeploymentScaled freed = ScaleDeploymentIT.awaitScaled(id, s -> s.removed().size() == 2).getLast();
        assertThat(freed.removed()).extracting(UUID::toString).containsExactlyInAnyOrderElementsOf(before);
        node.converge(d -> d.getList("instances.state", String.class).stream().allMatch("stopped"::equals));
        post(id, "stop").statusCode(200); // stopping a stopped deployment changes nothing
        problem(post(id, "restart"), 409);
        // a change while stopped is a revision that runs at start
        patch(id, "{\"env\": {\"WHILE\": \"stopped\"}}").statusCode(200).body("revision", equalTo(2))
                .body("instances.findAll { it.desiredState == 'running' }", org.hamcrest.Matchers.empty());

        post(id, "start").statusCode(200).body("stoppedAt", org.hamcrest.Matchers.nullValue());
        node.converge(d -> "complete".equals(d.getString("rollout.state")));
        JsonPath started = deployment(id);
        assertThat(started.getList("instances.findAll { it.desiredState == 'running' }.revision", Integer.class))
                .containsExactly(2, 2);
        assertThat(started.getList("instances.findAll { it.desiredState == 'running' }.id", String.class))
                .doesNotContainAnyElementsOf(before);

        post(id, "restart").statusCode(200).body("revision", equalTo(3));
        node.converge(d -> "complete".equals(d.getString("rollout.state")));
        assertThat(deployment(id).getList("instances.findAll { it.desiredState == 'running' }.revision",
                Integer.class)).containsExactly(3, 3);
    }

    @Test
    void changing_isolation_rolls_the_replicas_to_the_other_mode_with_the_same_image() {
        String id = create(2, "");
        Node node = new Node(id, Set.of());
        node.converge(d -> "complete".equals(d.getString("rollout.state")));

        patch(id, "{\"isolation\": \"hardware\"}").statusCode(200).body("revision", equalTo(2))
                .body("isolation", equalTo("hardware"));
        DeploymentScaled toHardware = ScaleDeploymentIT.awaitScaled(id, s -> !s.added().isEmpty()).getLast();
        assertThat(toHardware.isolation()).isEqualTo(Isolation.HARDWARE);
        List<Integer> serving = node.converge(d -> "complete".equals(d.getString("rollout.state")));

        JsonPath done = deployment(id);
        assertThat(done.getList("instances.findAll { it.desiredState == 'running' }.isolation", String.class))
                .containsExactly("hardware", "hardware");
        assertThat(done.getString("image")).isEqualTo("busybox:1.36");
        assertThat(serving).isNotEmpty().allMatch(n -> n >= 2);
        JsonPath revisions = given().auth().oauth2(token).get("/v1/deployments/" + id + "/revisions").then()
                .statusCode(200).extract().jsonPath();
        assertThat(revisions.getList("[0].changed", String.class)).containsExactly("isolation");
    }

    @Test
    void lifecycle_calls_on_another_tenants_deployment_or_a_bad_id_answer_not_found() {
        String id = create(1, "");
        String other = TenantFixture.create("trusted", null).firstSignIn().token();
        for (String path : List.of("/stop", "/start", "/restart", "/rollback")) {
            problem(given().auth().oauth2(other).contentType(ContentType.JSON).body("{}")
                    .post("/v1/deployments/" + id + path).then(), 404);
            problem(given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                    .post("/v1/deployments/not-a-uuid" + path).then(), 404);
        }
        problem(given().auth().oauth2(other).get("/v1/deployments/" + id + "/revisions").then(), 404);
        problem(given().auth().oauth2(other).contentType(ContentType.JSON).body("{\"image\": \"busybox:2\"}")
                .patch("/v1/deployments/" + id).then(), 404);
        problem(patch(id, "{}"), 400).body("errors[0].field", equalTo(""));
        problem(patch(id, "{\"healthCheck\": {\"type\": \"grpc\"}}"), 400);
        problem(patch(id, "{\"healthCheck\": {\"type\": \"tcp\"}}"), 400)
                .body("errors[0].field", equalTo("healthCheck.port"));
        problem(given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .post("/v1/deployments/" + id + "/rollback").then(), 409);
        // nothing that differs: no revision
        patch(id, "{\"image\": \"busybox:1.36\"}").statusCode(200).body("revision", equalTo(1));
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    private ValidatableResponse patch(String id, String json) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json).patch("/v1/deployments/" + id)
                .then();
    }

    private ValidatableResponse post(String id, String action) {
        return given().auth().oauth2(token).post("/v1/deployments/" + id + "/" + action).then();
    }

    private JsonPath deployment(String id) {
        return given().auth().oauth2(token).get("/v1/deployments/" + id).then().statusCode(200).extract().jsonPath();
    }

    /**
     * Runs the deployment's replicas as a node would: places what is pending (as the scheduler), reports each placed
     * replica RUNNING and healthy (or FAILED for the revisions in {@code failing}), reports replicas told to stop
     * STOPPED. Samples, on every look, how many replicas are running and healthy.
     */
    private final class Node {
        final String deployment;
        final Set<Integer> failing;
        final Set<String> placed = new HashSet<>();
        final List<Integer> healthySamples = new ArrayList<>();
        int mostDesiredRunning;

        Node(String deployment, Set<Integer> failing) {
            this.deployment = deployment;
            this.failing = failing;
        }

        List<Integer> converge(Predicate<JsonPath> until) {
            List<Integer> samples = new ArrayList<>();
            Await.until(DEADLINE, "deployment " + deployment + " converged", () -> {
                JsonPath d = deployment(deployment);
                int healthy = d.getList("instances.findAll { it.desiredState == 'running' && it.state == 'running'"
                        + " && (it.health == 'healthy' || it.health == null) }").size();
                samples.add(healthy);
                healthySamples.add(healthy);
                mostDesiredRunning = Math.max(mostDesiredRunning,
                        d.getList("instances.findAll { it.desiredState == 'running' }").size());
                if (until.test(d)) {
                    return true;
                }
                List<Map<String, Object>> instances = d.getList("instances");
                boolean checked = d.get("healthCheck") != null;
                for (Map<String, Object> i : instances) {
                    String id = (String) i.get("id");
                    String state = (String) i.get("state");
                    String desired = (String) i.get("desiredState");
                    int revision = (Integer) i.get("revision");
                    if ("pending".equals(state) && "running".equals(desired) && placed.add(id)) {
                        SchedulerStandIn.awaitProcessed(dataSource, SchedulerStandIn.publish(tenant.id(), id,
                                new InstancePlaced(UUID.fromString(id), UUID.fromString(deployment), NODE,
                                        Isolation.valueOf(d.getString("isolation").toUpperCase()))));
                    } else if ("scheduled".equals(state) && "running".equals(desired)) {
                        report(id, failing.contains(revision)
                                ? "{\"state\": \"FAILED\", \"reason\": \"cannot pull image: manifest unknown\"}"
                                : checked
                                        ? "{\"state\": \"RUNNING\", \"health\": \"HEALTHY\"}"
                                        : "{\"state\": \"RUNNING\"}");
                    } else if ("stopped".equals(desired) && i.get("node") != null
                            && !List.of("stopped", "exited", "failed").contains(state)) {
                        report(id, "{\"state\": \"STOPPED\"}");
                    }
                }
                return false;
            });
            return samples;
        }

        private void report(String instanceId, String json) {
            given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(json)
                    .put(NodeApi.INSTANCE_STATUS.replace("{node}", NODE).replace("{instanceId}", instanceId))
                    .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(204), equalTo(409)));
        }
    }
}
