package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.awaitEvent;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.InstanceUsageSampled;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.Topics;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The node API and the scheduler's events against real PostgreSQL, Kafka and Keycloak. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeApiIT {

    @Inject
    AgroalDataSource dataSource;

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {"zone": "a"}, "agentVersion": "0.1.0"}""";

    static String path(String template, String node) {
        return template.replace("{node}", node);
    }

    static String statusPath(String node, String instanceId) {
        return path(NodeApi.INSTANCE_STATUS, node).replace("{instanceId}", instanceId);
    }

    static ValidatableResponse register(String tokenNode, String node, String json) {
        return given().auth().oauth2(Tokens.node(tokenNode)).contentType(ContentType.JSON).body(json)
                .post(path(NodeApi.REGISTRATION, node)).then();
    }

    static ValidatableResponse report(String node, String instanceId, String json) {
        return given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON).body(json)
                .put(statusPath(node, instanceId)).then();
    }

    static ValidatableResponse assignments(String node) {
        return given().auth().oauth2(Tokens.node(node)).get(path(NodeApi.ASSIGNMENTS, node)).then().statusCode(200);
    }

    @Test
    void a_node_registers_heartbeats_and_operators_see_it_ready() {
        register("test-a", "test-a", REGISTRATION).statusCode(200).body("name", equalTo("test-a"))
                .body("state", equalTo("READY"));
        given().auth().oauth2(Tokens.node("test-a")).post(path(NodeApi.HEARTBEAT, "test-a")).then().statusCode(204);
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                .body("find { it.name == 'test-a' }.allocatable.memoryMiB", equalTo(8192))
                .body("find { it.name == 'test-a' }.isolations", equalTo(List.of("hardware", "shared")))
                .body("find { it.name == 'test-a' }.labels.zone", equalTo("a"))
                .body("find { it.name == 'test-a' }.state", equalTo("ready"));
        NodeRegistered registered = awaitEvent(Topics.NODES, "test-a", NodeRegistered.class);
        assertThat(registered.allocatable().cpuMillis()).isEqualTo(4000);
    }

    @Test
    void a_heartbeat_from_a_node_that_never_registered_is_not_found() {
        given().auth().oauth2(Tokens.node("local-1")).post(path(NodeApi.HEARTBEAT, "local-1")).then()
                .statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("register"));
    }

    @Test
    void an_invalid_registration_names_the_fields() {
        register("test-a", "test-a", "{\"allocatable\": null, \"isolations\": []}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("allocatable", "isolations"));
        register("test-a", "test-a", REGISTRATION.replace("\"SHARED\"", "\"QUANTUM\"")).statusCode(400)
                .body("errors[0].field", containsString("isolations"));
    }

    @Test
    void a_node_may_not_speak_for_another_node() {
        register("test-a", "test-b", REGISTRATION).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("test-b"));
        given().auth().oauth2(Tokens.node("test-a")).post(path(NodeApi.HEARTBEAT, "test-b")).then().statusCode(403);
        given().auth().oauth2(Tokens.node("test-a")).get(path(NodeApi.ASSIGNMENTS, "test-b")).then().statusCode(403);
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON).body("{\"state\": \"RUNNING\"}")
                .put(statusPath("test-b", UUID.randomUUID().toString())).then().statusCode(403);
    }

    @Test
    void tenants_and_anonymous_callers_cannot_use_the_node_api() {
        given().auth().oauth2(Tokens.user("bob")).get(path(NodeApi.ASSIGNMENTS, "test-a")).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("ops")).get(path(NodeApi.ASSIGNMENTS, "test-a")).then().statusCode(403);
        given().get(path(NodeApi.ASSIGNMENTS, "test-a")).then().statusCode(401);
    }

    @Test
    void a_node_cannot_report_an_instance_that_is_not_its_own() {
        report("test-a", UUID.randomUUID().toString(), "{\"state\": \"RUNNING\"}").statusCode(404)
                .contentType("application/problem+json");
        report("test-a", "not-a-uuid", "{\"state\": \"RUNNING\"}").statusCode(404);
        // a real instance, not placed anywhere yet
        String pending = create("bob", body(uniqueName("pending"))).statusCode(201).extract().path("instances[0].id");
        report("test-a", pending, "{\"state\": \"RUNNING\"}").statusCode(404);
    }

    @Test
    void a_placement_reaches_the_node_and_its_reports_reach_the_tenant() {
        var created = create("bob", body(uniqueName("placed")).replace("\"replicas\": 2", "\"replicas\": 1"))
                .statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        register("test-a", "test-a", REGISTRATION).statusCode(200);

        SchedulerStandIn.publish("globex", instanceId,
                new InstancePlaced(UUID.fromString(instanceId), UUID.fromString(deploymentId),
                        "test-a", Isolation.SHARED));
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " scheduled on test-a",
                () -> getDeployment(deploymentId).body("instances[0].state", equalTo("scheduled"))
                        .body("instances[0].node", equalTo("test-a"))
                        .body("instances[0].isolation", equalTo("shared")));

        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        assignments("test-a").body("nodeName", equalTo("test-a")).body(mine + ".desiredState", equalTo("RUNNING"))
                .body(mine + ".image", equalTo("busybox:1.36")).body(mine + ".tenant", equalTo("globex"))
                .body(mine + ".isolation", equalTo("SHARED")).body(mine + ".resources.memoryMiB", equalTo(128))
                .body(mine + ".command", equalTo(List.of("sh", "-c", "sleep 3600")))
                .body(mine + ".env", equalTo(Map.of("GREETING", "hello")));
        assignments("test-b").body("assignments.instanceId", not(hasItem(instanceId)));
        report("test-b", instanceId, "{\"state\": \"RUNNING\"}").statusCode(404);

        report("test-a", instanceId, "{\"state\": \"running\"}").statusCode(204);
        getDeployment(deploymentId).body("instances[0].state", equalTo("running"));
        InstanceStateChanged changed = awaitEvent(Topics.INSTANCES, deploymentId, InstanceStateChanged.class);
        assertThat(changed.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(changed.nodeName()).isEqualTo("test-a");
        report("test-a", instanceId, "{\"state\": \"RUNNING\"}").statusCode(204); // a retry changes nothing

        report("test-a", instanceId, "{}").statusCode(400).body("errors[0].field", equalTo("state"));
        report("test-a", instanceId, "{\"state\": \"FAILED\"}").statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        report("test-a", instanceId, "{\"state\": \"PENDING\"}").statusCode(400)
                .body("errors[0].field", equalTo("state"));
        report("test-a", instanceId, "{\"state\": \"SLEEPING\"}").statusCode(400)
                .body("errors[0].field", equalTo("state"));
        report("test-a", instanceId, "{\"state\": ").statusCode(400).contentType("application/problem+json");

        // deleting asks the node to stop it; once stopped the node keeps its files (ENDED, without env) for the logs'
        // retention (3 s in tests), then it leaves the node's list
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + deploymentId).then().statusCode(202);
        assignments("test-a").body(mine + ".desiredState", equalTo("STOPPED"));
        report("test-a", instanceId, "{\"state\": \"STOPPED\", \"exitCode\": 143}").statusCode(204);
        assignments("test-a").body(mine + ".desiredState", equalTo("ENDED")).body(mine + ".env", equalTo(Map.of()));
        Await.untilAsserted(DEADLINE, instanceId + " off test-a's list after the retention",
                () -> assignments("test-a").body("assignments.instanceId", not(hasItem(instanceId))));
        report("test-a", instanceId, "{\"state\": \"RUNNING\"}").statusCode(204); // stale: stays stopped
        getDeployment(deploymentId).body("instances[0].state", equalTo("stopped"))
                .body("instances[0].exitCode", equalTo(143));
    }

    @Test
    void an_unschedulable_replica_shows_the_schedulers_reason_and_a_later_placement_still_applies() {
        var created = create("alice", body(uniqueName("big")).replace("\"replicas\": 2", "\"replicas\": 1"))
                .statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        UUID instance = UUID.fromString(instanceId);
        UUID deployment = UUID.fromString(deploymentId);

        SchedulerStandIn.publish("acme", instanceId,
                new InstanceUnschedulable(instance, deployment, "0/2 nodes: insufficient memory"));
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " unschedulable",
                () -> getDeployment("alice", deploymentId).body("instances[0].state", equalTo("unschedulable"))
                        .body("instances[0].reason", equalTo("0/2 nodes: insufficient memory")));

        Event<InstancePlaced> placed = SchedulerStandIn.event("acme", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.HARDWARE));
        SchedulerStandIn.publish(placed);
        SchedulerStandIn.publish(placed); // a redelivery changes nothing
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " placed on test-b",
                () -> getDeployment("alice", deploymentId).body("instances[0].state", equalTo("scheduled"))
                        .body("instances[0].node", equalTo("test-b")));
        assignments("test-b").body("assignments.instanceId", hasItem(instanceId));
    }

    @Test
    void the_scheduler_moves_a_replica_of_a_lost_node_and_the_old_node_loses_it() {
        var created = create("bob", body(uniqueName("moved"))).statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        String otherId = created.path("instances[1].id");
        UUID deployment = UUID.fromString(deploymentId);
        UUID instance = UUID.fromString(instanceId);
        register("test-a", "test-a", REGISTRATION).statusCode(200);
        register("test-b", "test-b", REGISTRATION).statusCode(200);
        placeAndRun(deployment, instance, "test-a");
        report("test-a", instanceId, """
                {"state": "RUNNING", "network": {"address": "10.89.0.2",
                 "ports": [{"containerPort": 8080, "hostPort": 31000}]}}""").statusCode(204);
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                .body("{\"samples\": [{\"instanceId\": \"" + instanceId + "\", \"sampledAt\": \"" + Instant.now()
                        + "\", \"cpuNanos\": 5000, \"memoryBytes\": 4096}]}")
                .post(path(NodeApi.USAGE, "test-a")).then().statusCode(204);
        getDeployment(deploymentId).body(one(instanceId, "network.address"), equalTo("10.89.0.2"))
                .body(one(instanceId, "usage.cpuNanos"), equalTo(5000));

        // test-a stops heartbeating; the scheduler re-places the replica, same id, on test-b
        Event<InstancePlaced> moved = SchedulerStandIn.event("globex", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.HARDWARE));
        SchedulerStandIn.publish(moved);
        awaitProcessed(moved);
        getDeployment(deploymentId).body(one(instanceId, "node"), equalTo("test-b"))
                .body(one(instanceId, "state"), equalTo("scheduled"))
                .body(one(instanceId, "isolation"), equalTo("hardware"))
                .body(one(instanceId, "reason"), nullValue()).body(one(instanceId, "exitCode"), nullValue())
                // the old node's address, ports and usage are not the new node's: gone until it reports its own
                .body(one(instanceId, "network"), nullValue()).body(one(instanceId, "usage"), nullValue());
        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        assignments("test-b").body(mine + ".desiredState", equalTo("RUNNING"))
                .body(mine + ".isolation", equalTo("HARDWARE"));
        assignments("test-a").body("assignments.instanceId", not(hasItem(instanceId)));
        // the old node's agent (back, or never really gone) no longer speaks for it
        report("test-a", instanceId, "{\"state\": \"STOPPED\", \"exitCode\": 143}").statusCode(404)
                .contentType("application/problem+json");
        report("test-b", instanceId, "{\"state\": \"RUNNING\"}").statusCode(204);

        // a redelivery of the move, and a repeat of it under a new id, change nothing; a placement of the other
        // replica behind them on the same partition (same deployment key) shows they were consumed
        SchedulerStandIn.publish(moved);
        Event<InstancePlaced> repeated = SchedulerStandIn.event("globex", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.SHARED));
        SchedulerStandIn.publish(repeated);
        Event<InstancePlaced> marker = SchedulerStandIn.event("globex", otherId,
                new InstancePlaced(UUID.fromString(otherId), deployment, "test-a", Isolation.SHARED));
        SchedulerStandIn.publish(marker);
        awaitProcessed(marker);
        awaitProcessed(repeated);
        getDeployment(deploymentId).body(one(otherId, "node"), equalTo("test-a"))
                .body(one(instanceId, "node"), equalTo("test-b")).body(one(instanceId, "state"), equalTo("running"))
                .body(one(instanceId, "isolation"), equalTo("hardware"));
        assignments("test-a").body("assignments.instanceId", not(hasItem(instanceId)));
        assignments("test-b").body("assignments.instanceId", hasItem(instanceId));
    }

    @Test
    void a_replica_that_ended_on_a_lost_node_may_run_again_elsewhere() {
        var created = create("bob", body(uniqueName("ended"))).statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        UUID deployment = UUID.fromString(deploymentId);
        UUID instance = UUID.fromString(instanceId);
        placeAndRun(deployment, instance, "test-a");
        report("test-a", instanceId, "{\"state\": \"EXITED\", \"exitCode\": 137}").statusCode(204);
        // ended: test-a keeps its files (its output stays readable) and runs nothing
        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        assignments("test-a").body(mine + ".desiredState", equalTo("ENDED"));

        Event<InstancePlaced> moved = SchedulerStandIn.event("globex", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.SHARED));
        SchedulerStandIn.publish(moved);
        awaitProcessed(moved);
        getDeployment(deploymentId).body(one(instanceId, "state"), equalTo("scheduled"))
                .body(one(instanceId, "node"), equalTo("test-b")).body(one(instanceId, "exitCode"), nullValue());
        assignments("test-b").body("assignments.instanceId", hasItem(instanceId));
        assignments("test-a").body("assignments.instanceId", not(hasItem(instanceId)));
        report("test-a", instanceId, "{\"state\": \"EXITED\", \"exitCode\": 137}").statusCode(404);
    }

    @Test
    void a_placed_replica_the_scheduler_cannot_re_place_becomes_unschedulable_and_leaves_its_node() {
        var created = create("bob", body(uniqueName("stranded"))).statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        UUID deployment = UUID.fromString(deploymentId);
        UUID instance = UUID.fromString(instanceId);
        placeAndRun(deployment, instance, "test-a");

        Event<InstanceUnschedulable> stranded = SchedulerStandIn.event("globex", instanceId,
                new InstanceUnschedulable(instance, deployment, "0/1 ready nodes: insufficient memory"));
        SchedulerStandIn.publish(stranded);
        awaitProcessed(stranded);
        getDeployment(deploymentId).body(one(instanceId, "state"), equalTo("unschedulable"))
                .body(one(instanceId, "reason"), equalTo("0/1 ready nodes: insufficient memory"))
                .body(one(instanceId, "node"), nullValue()).body(one(instanceId, "isolation"), nullValue());
        assignments("test-a").body("assignments.instanceId", not(hasItem(instanceId)));
        assignments("test-b").body("assignments.instanceId", not(hasItem(instanceId)));
        report("test-a", instanceId, "{\"state\": \"RUNNING\"}").statusCode(404);

        // capacity comes back: it is placed again like any waiting replica
        Event<InstancePlaced> placed = SchedulerStandIn.event("globex", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.SHARED));
        SchedulerStandIn.publish(placed);
        awaitProcessed(placed);
        getDeployment(deploymentId).body(one(instanceId, "state"), equalTo("scheduled"))
                .body(one(instanceId, "node"), equalTo("test-b")).body(one(instanceId, "reason"), nullValue());
    }

    @Test
    void the_scheduler_cannot_move_or_strand_a_replica_the_tenant_deleted() {
        var created = create("bob", body(uniqueName("gone"))).statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        UUID deployment = UUID.fromString(deploymentId);
        UUID instance = UUID.fromString(instanceId);
        placeAndRun(deployment, instance, "test-a");
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + deploymentId).then().statusCode(202);

        Event<InstancePlaced> moved = SchedulerStandIn.event("globex", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.SHARED));
        SchedulerStandIn.publish(moved);
        Event<InstanceUnschedulable> stranded = SchedulerStandIn.event("globex", instanceId,
                new InstanceUnschedulable(instance, deployment, "0/1 ready nodes"));
        SchedulerStandIn.publish(stranded);
        awaitProcessed(moved);
        awaitProcessed(stranded);
        // still test-a's to stop
        getDeployment(deploymentId).body(one(instanceId, "node"), equalTo("test-a"))
                .body(one(instanceId, "state"), equalTo("running")).body(one(instanceId, "reason"), nullValue());
        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        assignments("test-a").body(mine + ".desiredState", equalTo("STOPPED"));
        assignments("test-b").body("assignments.instanceId", not(hasItem(instanceId)));

        // once stopped, a later decision cannot revive it either
        report("test-a", instanceId, "{\"state\": \"STOPPED\"}").statusCode(204);
        Event<InstancePlaced> late = SchedulerStandIn.event("globex", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.SHARED));
        SchedulerStandIn.publish(late);
        awaitProcessed(late);
        getDeployment(deploymentId).body(one(instanceId, "state"), equalTo("stopped"))
                .body(one(instanceId, "node"), equalTo("test-a"));
    }

    @Test
    void a_decision_about_an_unknown_instance_changes_nothing() {
        UUID unknown = UUID.randomUUID();
        Event<InstancePlaced> placed = SchedulerStandIn.event("globex", unknown.toString(),
                new InstancePlaced(unknown, UUID.randomUUID(), "test-b", Isolation.SHARED));
        Event<InstanceUnschedulable> stranded = SchedulerStandIn.event("globex", unknown.toString(),
                new InstanceUnschedulable(unknown, UUID.randomUUID(), "no room"));
        SchedulerStandIn.publish(placed);
        SchedulerStandIn.publish(stranded);
        awaitProcessed(placed);
        awaitProcessed(stranded);
        assignments("test-b").body("assignments.instanceId", not(hasItem(unknown.toString())));
    }

    @Test
    void restart_policy_and_ports_reach_the_node_and_restarts_network_and_usage_reach_the_tenant() {
        var created = create("bob", body(uniqueName("served")).replace("\"replicas\": 2", "\"replicas\": 1")
                .replace("\"env\"", "\"restartPolicy\": {\"mode\": \"always\", \"maxRetries\": 3},"
                        + " \"ports\": [{\"containerPort\": 8080}], \"env\""))
                .statusCode(201).body("restartPolicy.mode", equalTo("always"))
                .body("restartPolicy.maxRetries", equalTo(3)).body("ports[0].containerPort", equalTo(8080))
                .extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        UUID instance = UUID.fromString(instanceId);
        register("test-a", "test-a", REGISTRATION).statusCode(200);
        register("test-b", "test-b", REGISTRATION).statusCode(200);
        placeAndRun(UUID.fromString(deploymentId), instance, "test-a");
        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        assignments("test-a").body(mine + ".restartPolicy.mode", equalTo("ALWAYS"))
                .body(mine + ".restartPolicy.maxRetries", equalTo(3))
                .body(mine + ".ports[0].containerPort", equalTo(8080));

        report("test-a", instanceId, """
                {"state": "RUNNING", "restarts": 2,
                 "network": {"address": "10.88.3.2", "ports": [{"containerPort": 8080, "hostPort": 20001}]}}""")
                .statusCode(204);
        getDeployment(deploymentId).body(one(instanceId, "restarts"), equalTo(2))
                .body(one(instanceId, "network.address"), equalTo("10.88.3.2"))
                .body(one(instanceId, "network.ports[0].hostPort"), equalTo(20001));
        report("test-a", instanceId, "{\"state\": \"RESTARTING\", \"exitCode\": 1, \"restarts\": 2}")
                .statusCode(204);
        getDeployment(deploymentId).body(one(instanceId, "state"), equalTo("restarting"))
                .body(one(instanceId, "exitCode"), equalTo(1))
                .body(one(instanceId, "network.address"), equalTo("10.88.3.2"));
        report("test-a", instanceId, "{\"state\": \"RUNNING\", \"network\": {\"address\": \"10.88.3\"}}")
                .statusCode(400).body("errors[0].field", equalTo("network.address"));

        String usagePath = path(NodeApi.USAGE, "test-a");
        String sample = "{\"samples\": [{\"instanceId\": \"%s\", \"sampledAt\": \"%s\", \"cpuNanos\": %d,"
                + " \"memoryBytes\": %d}]}";
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                .body(sample.formatted(instanceId, at, 1_500_000_000L, 4_194_304L)).post(usagePath).then()
                .statusCode(204);
        getDeployment(deploymentId).body(one(instanceId, "usage.cpuNanos"), equalTo(1_500_000_000))
                .body(one(instanceId, "usage.memoryBytes"), equalTo(4_194_304))
                .body(one(instanceId, "usage.sampledAt"), equalTo("2026-11-22T10:00:00Z"));
        InstanceUsageSampled billed = awaitEvent(Topics.USAGE, "globex", InstanceUsageSampled.class,
                usage -> usage.instanceId().equals(instance));
        assertThat(billed.instanceId()).isEqualTo(instance);
        assertThat(billed.cpuNanos()).isEqualTo(1_500_000_000L);
        assertThat(billed.resources().memoryMiB()).isEqualTo(128);

        // another node's sample of it, and an older sample, are dropped; a bad one names its field
        given().auth().oauth2(Tokens.node("test-b")).contentType(ContentType.JSON)
                .body(sample.formatted(instanceId, at.plusSeconds(60), 9L, 9L))
                .post(path(NodeApi.USAGE, "test-b")).then().statusCode(204);
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                .body(sample.formatted(instanceId, at.minusSeconds(60), 7L, 7L)).post(usagePath).then()
                .statusCode(204);
        getDeployment(deploymentId).body(one(instanceId, "usage.cpuNanos"), equalTo(1_500_000_000));
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                .body(sample.formatted(instanceId, at, -1L, 0L)).post(usagePath).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("samples[0].cpuNanos"));
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON)
                .body(sample.formatted(instanceId, at, 1L, 0L)).post(path(NodeApi.USAGE, "test-b")).then()
                .statusCode(403);
    }

    @Test
    void a_private_images_login_is_stored_sealed_shown_without_its_password_and_given_to_its_node() throws Exception {
        var created = create("bob", body(uniqueName("private")).replace("\"replicas\": 2", "\"replicas\": 1")
                .replace("\"env\"",
                        "\"imageCredentials\": {\"username\": \"globex-ci\", \"password\": \"pull-s3cret\"},"
                                + " \"env\""))
                .statusCode(201).body("imageCredentials.username", equalTo("globex-ci"))
                .body("imageCredentials.password", nullValue()).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        assertThat(created.asString()).doesNotContain("pull-s3cret");
        getDeployment(deploymentId).body("imageCredentials.username", equalTo("globex-ci"));
        assertThat(getDeployment(deploymentId).extract().asString()).doesNotContain("pull-s3cret");
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT registry_username, registry_password_sealed FROM deployment WHERE id = ?")) {
            q.setObject(1, UUID.fromString(deploymentId));
            try (ResultSet row = q.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("globex-ci");
                assertThat(row.getString(2)).startsWith("v1:").doesNotContain("pull-s3cret");
            }
        }
        register("test-a", "test-a", REGISTRATION).statusCode(200);
        placeAndRun(UUID.fromString(deploymentId), UUID.fromString(instanceId), "test-a");
        String mine = "assignments.find { it.instanceId == '" + instanceId + "' }";
        assignments("test-a").body(mine + ".imageCredentials.username", equalTo("globex-ci"))
                .body(mine + ".imageCredentials.password", equalTo("pull-s3cret"));
        create("bob",
                body(uniqueName("private")).replace("\"env\"", "\"imageCredentials\": {\"username\": \"x\"}, \"env\""))
                .statusCode(400).body("errors[0].field", equalTo("imageCredentials.password"));
    }

    /** Places bob's (tenant globex) instance on the node and has the node report it RUNNING. */
    private void placeAndRun(UUID deployment, UUID instance, String node) {
        Event<InstancePlaced> placed = SchedulerStandIn.event("globex", instance.toString(),
                new InstancePlaced(instance, deployment, node, Isolation.SHARED));
        SchedulerStandIn.publish(placed);
        awaitProcessed(placed);
        report(node, instance.toString(), "{\"state\": \"RUNNING\"}").statusCode(204);
        getDeployment(deployment.toString()).body(one(instance.toString(), "state"), equalTo("running"))
                .body(one(instance.toString(), "node"), equalTo(node));
        assignments(node).body("assignments.instanceId", hasItem(instance.toString()));
    }

    private static String one(String instanceId, String field) {
        return "instances.find { it.id == '" + instanceId + "' }." + field;
    }
    private static ValidatableResponse getDeployment(String id) {
        return getDeployment("bob", id);
    }

    private static ValidatableResponse getDeployment(String user, String id) {
        return given().auth().oauth2(Tokens.user(user)).get("/v1/deployments/" + id).then().statusCode(200);
    }

    private void awaitProcessed(Event<?> event) {
        SchedulerStandIn.awaitProcessed(dataSource, event);
    }
}
