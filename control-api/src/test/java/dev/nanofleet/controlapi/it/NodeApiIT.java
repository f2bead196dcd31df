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

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.EventPayload;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.InstanceUnschedulable;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.NodeRegistered;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The node API and the scheduler's events against real PostgreSQL, Kafka and Keycloak. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeApiIT {

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
                .body("find { it.name == 'test-a' }.state", equalTo("READY"));
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

        publish("globex", instanceId, new InstancePlaced(UUID.fromString(instanceId), UUID.fromString(deploymentId),
                "test-a", Isolation.SHARED));
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " scheduled on test-a",
                () -> getDeployment(deploymentId).body("instances[0].state", equalTo("SCHEDULED"))
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
        getDeployment(deploymentId).body("instances[0].state", equalTo("RUNNING"));
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

        // deleting asks the node to stop it; once stopped it leaves the node's list
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + deploymentId).then().statusCode(202);
        assignments("test-a").body(mine + ".desiredState", equalTo("STOPPED"));
        report("test-a", instanceId, "{\"state\": \"STOPPED\", \"exitCode\": 143}").statusCode(204);
        assignments("test-a").body("assignments.instanceId", not(hasItem(instanceId)));
        report("test-a", instanceId, "{\"state\": \"RUNNING\"}").statusCode(204); // stale: stays stopped
        getDeployment(deploymentId).body("instances[0].state", equalTo("STOPPED"))
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

        publish("acme", instanceId, new InstanceUnschedulable(instance, deployment, "0/2 nodes: insufficient memory"));
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " unschedulable",
                () -> getDeployment("alice", deploymentId).body("instances[0].state", equalTo("UNSCHEDULABLE"))
                        .body("instances[0].reason", equalTo("0/2 nodes: insufficient memory")));

        Event<InstancePlaced> placed = event("acme", instanceId,
                new InstancePlaced(instance, deployment, "test-b", Isolation.HARDWARE));
        publish(placed);
        publish(placed); // a redelivery changes nothing
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " placed on test-b",
                () -> getDeployment("alice", deploymentId).body("instances[0].state", equalTo("SCHEDULED"))
                        .body("instances[0].node", equalTo("test-b")));
        assignments("test-b").body("assignments.instanceId", hasItem(instanceId));
    }

    private static ValidatableResponse getDeployment(String id) {
        return getDeployment("bob", id);
    }

    private static ValidatableResponse getDeployment(String user, String id) {
        return given().auth().oauth2(Tokens.user(user)).get("/v1/deployments/" + id).then().statusCode(200);
    }

    private static <T extends EventPayload> Event<T> event(String tenant, String subject, T payload) {
        return Event.of("scheduler-it", Instant.now(), tenant, subject, payload);
    }

    private static void publish(String tenant, String subject, EventPayload payload) {
        publish(event(tenant, subject, payload));
    }

    /** Plays the scheduler: writes the event to Kafka the way the outbox relay would. */
    private static void publish(Event<?> event) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "scheduler-it")) {
            producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new AssertionError("cannot publish " + event, e);
        }
    }
}
