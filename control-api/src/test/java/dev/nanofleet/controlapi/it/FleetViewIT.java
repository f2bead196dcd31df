package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.NodeApi;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operators' fleet views ({@code GET /v1/nodes}, {@code GET /v1/nodes/{name}}, {@code GET /v1/instances}) against
 * real PostgreSQL, Kafka and Keycloak: this test plays the scheduler (placements) and node {@code test-b} (states and
 * usage samples).
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class FleetViewIT {

    private static final String NODE = "test-b";
    private static final long MIB = 1024L * 1024;
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {"zone": "b"}, "agentVersion": "0.1.0"}""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_node_shows_what_two_tenants_instances_reserve_and_use_and_whose_shared_kernel_it_runs() {
        nodeWithNothingRunning();
        // globex (trusted) runs two shared-kernel replicas, acme (untrusted) one VM
        Deployment shared = deploy("bob", "shared", 2, 250, 64);
        Deployment vm = deploy("alice", "auto", 1, 500, 128);
        place(shared, 0, Isolation.SHARED);
        place(shared, 1, Isolation.SHARED);
        place(vm, 0, Isolation.HARDWARE);
        for (String id : List.of(shared.instance(0), shared.instance(1), vm.instance(0))) {
            report(id, "{\"state\": \"RUNNING\"}");
        }
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        // shared[0]: 2 s of CPU in 10 s; shared[1]: one sample only; the VM: 5 s in 10 s, 228 MiB for 128 reserved
        usage(sample(shared.instance(0), t0, 1_000_000_000L, 50 * MIB),
                sample(shared.instance(1), t0, 7_000, 40 * MIB), sample(vm.instance(0), t0, 0, 200 * MIB));
        usage(sample(shared.instance(0), t0.plusSeconds(10), 3_000_000_000L, 50 * MIB),
                sample(vm.instance(0), t0.plusSeconds(10), 5_000_000_000L, 228 * MIB));

        JsonPath listed = node(nodes());
        assertThat(listed.getMap("allocated")).isEqualTo(Map.of("cpuMillis", 1000, "memoryMiB", 256));
        assertThat(listed.getLong("used.cpuMillis")).isEqualTo(700);
        assertThat(listed.getLong("used.memoryBytes")).isEqualTo(318 * MIB);
        assertThat(listed.getInt("used.measuredInstances")).isEqualTo(3);
        assertThat(listed.getMap("instances")).isEqualTo(Map.of("hardware", 1, "shared", 2));
        assertThat(listed.getString("kernelTenant")).isEqualTo("globex");
        assertThat(listed.getLong("vmOverheadBytes")).isEqualTo(100 * MIB);

        JsonPath page = page(NODE).statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        for (String figure : List.of("allocated", "used", "instances")) {
            assertThat(page.getMap("node." + figure)).as(figure).isEqualTo(listed.getMap(figure));
        }
        assertThat(page.getString("node.kernelTenant")).isEqualTo("globex");
        assertThat(page.getLong("node.vmOverheadBytes")).isEqualTo(100 * MIB);
        assertThat(page.getString("node.name")).isEqualTo(NODE);
        // tenant, then deployment, then ordinal
        assertThat(page.getList("instances.id")).containsExactly(vm.instance(0), shared.instance(0),
                shared.instance(1));
        JsonPath first = new JsonPath(page.prettify()).setRootPath("instances[0]");
        assertThat(first.getString("tenant")).isEqualTo("acme");
        assertThat(first.getString("tenantName")).isEqualTo("Acme");
        assertThat(first.getString("deploymentId")).isEqualTo(vm.id());
        assertThat(first.getString("deploymentName")).isEqualTo(vm.name());
        assertThat(first.getInt("ordinal")).isZero();
        assertThat(first.getString("node")).isEqualTo(NODE);
        assertThat(first.getString("isolation")).isEqualTo("hardware");
        assertThat(first.getString("state")).isEqualTo("running");
        assertThat(first.getString("desiredState")).isEqualTo("running");
        assertThat(first.getString("health")).isNull();
        assertThat(first.getString("reason")).isNull();
        assertThat(first.getMap("reserved")).isEqualTo(Map.of("cpuMillis", 500, "memoryMiB", 128));
        assertThat(first.getLong("usage.memoryBytes")).isEqualTo(228 * MIB);
        assertThat(first.getLong("usage.cpuNanos")).isEqualTo(5_000_000_000L);
        assertThat(first.getLong("usage.cpuMillis")).isEqualTo(500);
        assertThat(first.getString("usage.sampledAt")).isEqualTo(t0.plusSeconds(10).toString());
        assertThat(first.getString("updatedAt")).isNotNull();
        assertThat(page.getString("instances[1].tenantName")).isEqualTo("Globex");
        assertThat(page.getString("instances[2].usage.cpuMillis")).as("one sample: no CPU figure yet").isNull();
        // the tenant's own view shows the same CPU figure
        given().auth().oauth2(Tokens.user("alice")).get("/v1/deployments/" + vm.id()).then().statusCode(200)
                .body("instances[0].usage.cpuMillis", equalTo(500));

        // one shared replica ends: it no longer counts, and globex still holds the kernel with the other
        report(shared.instance(1), "{\"state\": \"EXITED\", \"exitCode\": 0}");
        JsonPath oneShared = node(nodes());
        assertThat(oneShared.getMap("allocated")).isEqualTo(Map.of("cpuMillis", 750, "memoryMiB", 192));
        assertThat(oneShared.getMap("instances")).isEqualTo(Map.of("hardware", 1, "shared", 1));
        assertThat(oneShared.getString("kernelTenant")).isEqualTo("globex");
        assertThat(oneShared.getInt("used.measuredInstances")).isEqualTo(2);

        // the last shared replica told to stop holds the kernel until its node says it stopped
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + shared.id()).then().statusCode(202);
        page(NODE).body("node.kernelTenant", equalTo("globex"))
                .body("instances.find { it.id == '" + shared.instance(0) + "' }.desiredState", equalTo("stopped"));
        report(shared.instance(0), "{\"state\": \"STOPPED\"}");
        JsonPath vmOnly = page(NODE).statusCode(200).extract().jsonPath();
        assertThat(vmOnly.getString("node.kernelTenant")).isNull();
        assertThat(vmOnly.getMap("node.instances")).isEqualTo(Map.of("hardware", 1, "shared", 0));
        assertThat(vmOnly.getList("instances.id")).containsExactly(vm.instance(0));
        // cordon answers the node as the list does
        given().auth().oauth2(Tokens.user("ops")).post("/v1/nodes/" + NODE + "/cordon").then().statusCode(200)
                .body("allocated.cpuMillis", equalTo(500)).body("vmOverheadBytes", equalTo((int) (100 * MIB)));
        given().auth().oauth2(Tokens.user("ops")).post("/v1/nodes/" + NODE + "/uncordon").then().statusCode(200);
    }

    @Test
    void operators_list_the_fleets_instances_by_state_node_and_tenant_with_the_schedulers_reason() {
        register();
        Deployment waiting = deploy("bob", "shared", 3, 100, 64);
        String reason = "0/3 nodes available: 2 insufficient memory, 1 kernel owned by another tenant";
        unschedulable(waiting, 0, reason);
        unschedulable(waiting, 2, reason);
        place(waiting, 1, Isolation.SHARED);

        JsonPath stuck = instances("?state=unschedulable&tenant=globex").statusCode(200).extract().jsonPath();
        assertThat(stuck.getList("state")).isNotEmpty().containsOnly("unschedulable");
        assertThat(stuck.getList("tenant")).containsOnly("globex");
        List<Map<String, Object>> mine = stuck.getList("findAll { it.deploymentId == '" + waiting.id() + "' }");
        assertThat(mine).extracting(i -> i.get("ordinal")).containsExactly(0, 2);
        assertThat(mine).extracting(i -> i.get("reason")).containsOnly(reason);
        assertThat(mine).extracting(i -> i.get("node")).containsOnly((Object) null);
        assertThat(mine.get(0).get("reserved")).isEqualTo(Map.of("cpuMillis", 100, "memoryMiB", 64));

        // by default every state but the ended ones: the pending, unschedulable and scheduled replica alike
        JsonPath live = instances("?tenant=globex&limit=1000").statusCode(200).extract().jsonPath();
        assertThat(live.getList("findAll { it.deploymentId == '" + waiting.id() + "' }.state"))
                .containsExactly("unschedulable", "scheduled", "unschedulable");
        assertThat(live.getList("state")).doesNotContain("stopped", "exited", "failed");
        List<String> order = live.getList("collect { it.tenant + '/' + it.deploymentName + '/' + it.ordinal }");
        assertThat(order).isSortedAccordingTo(FleetViewIT::fleetOrder);

        instances("?node=" + NODE + "&tenant=globex&state=scheduled").statusCode(200)
                .body("find { it.id == '" + waiting.instance(1) + "' }.node", equalTo(NODE))
                .body("node", not(hasItem(not(equalTo(NODE)))));
        instances("?state=pending,unschedulable&limit=1").statusCode(200).body("", hasSize(1));
        instances("?tenant=no-such-tenant").statusCode(200).body("", empty());
    }

    @Test
    void an_operator_follows_every_tenants_and_the_nodes_events_and_resumes_where_it_left_off() throws Exception {
        register();
        given().auth().oauth2(Tokens.user("ops")).post("/v1/nodes/" + NODE + "/uncordon").then().statusCode(200);
        String since = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String query = "type=deployment.created,node.scheduling-changed&since=" + since;
        String ops = Tokens.user("ops");
        List<SseClient.Received> received;
        try (SseClient stream = SseClient.open(ops, query, null)) {
            assertThat(stream.status()).isEqualTo(200);
            Deployment globex = deploy("bob", "shared", 1, 100, 64);
            Deployment acme = deploy("alice", "auto", 1, 100, 64);
            given().auth().oauth2(ops).post("/v1/nodes/" + NODE + "/cordon").then().statusCode(200);
            given().auth().oauth2(ops).post("/v1/nodes/" + NODE + "/uncordon").then().statusCode(200);
            received = stream.take(4, Duration.ofSeconds(30));
            // two topics, so the two kinds may interleave either way; each kind keeps its own order
            List<String> seen = received.stream().map(e -> JsonPath.from(e.data()))
                    .map(e -> e.getString("type") + " " + e.getString("tenant") + " "
                            + e.getString("data.deploymentId") + e.getString("data.scheduling"))
                    .toList();
            assertThat(seen).containsExactlyInAnyOrder("deployment.created globex " + globex.id() + "null",
                    "deployment.created acme " + acme.id() + "null", "node.scheduling-changed null nullcordoned",
                    "node.scheduling-changed null nullschedulable");
        }
        // dropped after the second: Last-Event-ID resumes with the third and fourth, nothing twice
        try (SseClient resumed = SseClient.open(ops, query, received.get(1).id())) {
            assertThat(resumed.take(2, Duration.ofSeconds(30))).extracting(SseClient.Received::id)
                    .containsExactly(received.get(2).id(), received.get(3).id());
            assertThat(resumed.next(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void an_unknown_node_is_a_not_found_problem() {
        String unknown = "no-such-node-" + UUID.randomUUID().toString().substring(0, 8);
        page(unknown).statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:not-found")).body("detail", containsString(unknown))
                .body("instance", equalTo("/v1/nodes/" + unknown));
    }

    @Test
    void a_bad_state_limit_node_or_tenant_is_a_bad_request_naming_the_field() {
        instances("?state=sleeping").statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:validation"))
                .body("errors[0].field", equalTo("state")).body("errors[0].message", containsString("sleeping"));
        instances("?state=RUNNING,").statusCode(400).body("errors[0].field", equalTo("state"));
        for (String limit : List.of("0", "1001", "ten", "-5")) {
            instances("?limit=" + limit).statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("limit"));
        }
        instances("?node=a%00b").statusCode(400).body("errors[0].field", equalTo("node"));
        instances("?tenant=" + "t".repeat(300)).statusCode(400).body("errors[0].field", equalTo("tenant"));
    }

    @Test
    void tenants_nodes_and_anonymous_callers_never_reach_the_fleet_views() {
        register();
        for (String path : List.of("/v1/nodes", "/v1/nodes/" + NODE, "/v1/instances",
                "/v1/instances?state=sleeping")) {
            for (String user : List.of("alice", "bob")) {
                given().auth().oauth2(Tokens.user(user)).get(path).then().statusCode(403)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:nanofleet:problem:forbidden"));
            }
            given().auth().oauth2(Tokens.node(NODE)).get(path).then().statusCode(403)
                    .contentType("application/problem+json");
            given().get(path).then().statusCode(401);
        }
        // nor does an unknown node tell a tenant anything
        given().auth().oauth2(Tokens.user("alice")).get("/v1/nodes/no-such-node").then().statusCode(403);
    }

    /** {@code tenant/deployment/ordinal} in fleet order: tenant, then deployment name, then ordinal as a number. */
    private static int fleetOrder(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        int byTenant = x[0].compareTo(y[0]);
        if (byTenant != 0) {
            return byTenant;
        }
        int byName = x[1].compareTo(y[1]);
        return byName != 0 ? byName : Integer.compare(Integer.parseInt(x[2]), Integer.parseInt(y[2]));
    }

    private record Deployment(String tenant, String id, String name, List<String> instances) {
        String instance(int ordinal) {
            return instances.get(ordinal);
        }
    }

    private static Deployment deploy(String user, String isolation, int replicas, int cpuMillis, int memoryMiB) {
        String name = uniqueName("fleet");
        var created = create(user, """
                {"name": "%s", "image": "busybox:1.36", "replicas": %d,
                 "resources": {"cpuMillis": %d, "memoryMiB": %d}, "isolation": "%s"}"""
                .formatted(name, replicas, cpuMillis, memoryMiB, isolation)).statusCode(201).extract();
        return new Deployment("bob".equals(user) ? "globex" : "acme", created.path("id"), name,
                created.path("instances.id"));
    }

    /**
     * Registers {@code test-b} and makes it run nothing: every instance earlier tests left on it is reported ended, as
     * its agent would once they stopped, so the figures are this test's alone.
     */
    private static void nodeWithNothingRunning() {
        register();
        List<String> running = given().auth().oauth2(Tokens.node(NODE)).get(NodeApi.ASSIGNMENTS.replace("{node}", NODE))
                .then().statusCode(200).extract().path("assignments.findAll { it.desiredState != 'ENDED' }.instanceId");
        for (String id : running) {
            report(id, "{\"state\": \"EXITED\", \"exitCode\": 0}");
        }
        page(NODE).statusCode(200).body("instances", empty()).body("node.kernelTenant", nullValue())
                .body("node.allocated.cpuMillis", equalTo(0)).body("node.used.measuredInstances", equalTo(0));
    }

    private static void register() {
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then().statusCode(200);
    }

    private void place(Deployment d, int ordinal, Isolation isolation) {
        UUID instance = UUID.fromString(d.instance(ordinal));
        Event<InstancePlaced> placed = SchedulerStandIn.publish(d.tenant(), instance.toString(),
                new InstancePlaced(instance, UUID.fromString(d.id()), NODE, isolation));
        SchedulerStandIn.awaitProcessed(dataSource, placed);
    }

    private void unschedulable(Deployment d, int ordinal, String reason) {
        UUID instance = UUID.fromString(d.instance(ordinal));
        Event<InstanceUnschedulable> refused = SchedulerStandIn.publish(d.tenant(), instance.toString(),
                new InstanceUnschedulable(instance, UUID.fromString(d.id()), reason));
        SchedulerStandIn.awaitProcessed(dataSource, refused);
    }

    private static void report(String instanceId, String json) {
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(json)
                .put(NodeApi.INSTANCE_STATUS.replace("{node}", NODE).replace("{instanceId}", instanceId)).then()
                .statusCode(204);
    }

    private static String sample(String instanceId, Instant at, long cpuNanos, long memoryBytes) {
        return "{\"instanceId\": \"%s\", \"sampledAt\": \"%s\", \"cpuNanos\": %d, \"memoryBytes\": %d}"
                .formatted(instanceId, at, cpuNanos, memoryBytes);
    }

    private static void usage(String... samples) {
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON)
                .body("{\"samples\": [" + String.join(", ", samples) + "]}")
                .post(NodeApi.USAGE.replace("{node}", NODE)).then().statusCode(204);
    }

    private static ValidatableResponse nodes() {
        return given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                .contentType(ContentType.JSON);
    }

    /** The node's entry in {@code GET /v1/nodes}. */
    private static JsonPath node(ValidatableResponse nodes) {
        JsonPath all = nodes.extract().jsonPath();
        assertThat(all.getMap("find { it.name == '" + NODE + "' }")).as(NODE + " in /v1/nodes").isNotNull();
        return new JsonPath(all.prettify()).setRootPath("find { it.name == '" + NODE + "' }");
    }

    private static ValidatableResponse page(String node) {
        return given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes/" + node).then();
    }

    private static ValidatableResponse instances(String query) {
        return given().auth().oauth2(Tokens.user("ops")).urlEncodingEnabled(false).get("/v1/instances" + query)
                .then();
    }
}
