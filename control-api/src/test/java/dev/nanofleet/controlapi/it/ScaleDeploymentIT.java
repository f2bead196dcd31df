package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentScaled;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** PATCH /v1/deployments/{id}: scaling up and down against real PostgreSQL, Kafka and Keycloak. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class ScaleDeploymentIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String REGISTRATION = """
            {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
             "labels": {"zone": "a"}, "agentVersion": "0.1.0"}""";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void scaling_up_stores_pending_replicas_under_the_next_ordinals_and_tells_the_scheduler() {
        String id = createWith("bob", 2);

        var response = scale("bob", id, "{\"replicas\": 4}").statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id)).body("replicas", equalTo(4)).body("instances", hasSize(4))
                .body("instances.ordinal", contains(0, 1, 2, 3)).extract();
        List<String> ids = response.path("instances.id");
        List<String> addedIds = ids.subList(2, 4);

        get("bob", id).body("replicas", equalTo(4)).body(one(addedIds.get(0), "state"), equalTo("pending"))
                .body(one(addedIds.get(1), "state"), equalTo("pending"))
                .body(one(addedIds.get(1), "desiredState"), equalTo("running"))
                .body(one(addedIds.get(1), "node"), equalTo(null));

        List<DeploymentScaled> scaled = awaitScaled(id, s -> s.replicas() == 4);
        assertThat(scaled).hasSize(1);
        DeploymentScaled event = scaled.getFirst();
        assertThat(event.deploymentId().toString()).isEqualTo(id);
        assertThat(event.tenant()).isEqualTo("globex");
        assertThat(event.tenantTrust()).isEqualTo(TenantTrust.TRUSTED);
        assertThat(event.isolation()).isEqualTo(Isolation.SHARED);
        assertThat(event.resources().cpuMillis()).isEqualTo(250);
        assertThat(event.resources().memoryMiB()).isEqualTo(128);
        assertThat(event.added()).extracting(r -> r.instanceId().toString()).containsExactlyElementsOf(addedIds);
        assertThat(event.added()).extracting(DeploymentCreated.Replica::ordinal).containsExactly(2, 3);
        assertThat(event.removed()).isEmpty();
    }

    @Test
    void scaling_down_stops_the_highest_ordinals_first_and_names_them() {
        String id = createWith("bob", 3);
        List<String> ids = get("bob", id).extract().path("instances.id");

        scale("bob", id, "{\"replicas\": 1}").statusCode(200).body("replicas", equalTo(1))
                .body(one(ids.get(0), "desiredState"), equalTo("running"))
                .body(one(ids.get(0), "state"), equalTo("pending"))
                .body(one(ids.get(1), "desiredState"), equalTo("stopped"))
                .body(one(ids.get(2), "desiredState"), equalTo("stopped"))
                // never placed: nothing to stop them, so they are stopped at once
                .body(one(ids.get(2), "state"), equalTo("stopped"))
                .body(one(ids.get(2), "reason"), containsString("scaled down"));

        DeploymentScaled event = awaitScaled(id, s -> s.replicas() == 1).getFirst();
        assertThat(event.removed()).extracting(UUID::toString).containsExactly(ids.get(2), ids.get(1));
        assertThat(event.added()).isEmpty();
    }

    @Test
    void a_placed_replica_scaled_away_is_stopped_by_its_node_and_the_scheduler_cannot_move_it() {
        String id = createWith("bob", 2);
        List<String> ids = get("bob", id).extract().path("instances.id");
        String removed = ids.get(1);
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON).body(REGISTRATION)
                .post(NodeApi.REGISTRATION.replace("{node}", "test-a")).then().statusCode(200);
        Event<InstancePlaced> placed = SchedulerStandIn.publish("globex", removed,
                new InstancePlaced(UUID.fromString(removed), UUID.fromString(id),
                        "test-a", Isolation.SHARED));
        awaitProcessed(placed);
        report("test-a", removed, "{\"state\": \"RUNNING\"}");

        scale("bob", id, "{\"replicas\": 1}").statusCode(200).body(one(removed, "desiredState"), equalTo("stopped"))
                .body(one(removed, "state"), equalTo("running")).body(one(removed, "node"), equalTo("test-a"));
        // the node is told to stop it
        assignments("test-a").body("assignments.find { it.instanceId == '" + removed + "' }.desiredState",
                equalTo("STOPPED"));
        // a late re-placement (say, of a drain) does not bring it back
        Event<InstancePlaced> moved = SchedulerStandIn.publish("globex", removed,
                new InstancePlaced(UUID.fromString(removed), UUID.fromString(id),
                        "test-b", Isolation.SHARED));
        awaitProcessed(moved);
        get("bob", id).body(one(removed, "node"), equalTo("test-a"));
        // once the node reports it stopped, it stays on the node's list as ENDED: the node keeps its output and runs
        // nothing (the newest nanofleet.logs.kept-per-deployment ended replicas are kept)
        report("test-a", removed, "{\"state\": \"STOPPED\"}");
        get("bob", id).body(one(removed, "state"), equalTo("stopped"));
        assignments("test-a").body("assignments.find { it.instanceId == '" + removed + "' }.desiredState",
                equalTo("ENDED"));
    }

    @Test
    void the_same_count_changes_nothing_and_scaling_up_again_uses_fresh_ordinals() {
        String id = createWith("bob", 2);
        List<String> ids = get("bob", id).extract().path("instances.id");

        scale("bob", id, "{\"replicas\": 2}").statusCode(200).body("replicas", equalTo(2))
                .body("instances.desiredState", contains("running", "running"));
        scale("bob", id, "{\"replicas\": 1}").statusCode(200);
        scale("bob", id, "{\"replicas\": 1}").statusCode(200);
        var up = scale("bob", id, "{\"replicas\": 2}").statusCode(200).body("replicas", equalTo(2))
                .body("instances.ordinal", contains(0, 1, 2))
                .body("instances.desiredState", contains("running", "stopped", "running")).extract();
        String third = up.path("instances[2].id");

        // events of one deployment share a partition, so the last one arriving means none was left out in between
        List<DeploymentScaled> scaled = awaitScaled(id, s -> !s.added().isEmpty());
        assertThat(scaled).hasSize(2);
        assertThat(scaled.get(0).replicas()).isEqualTo(1);
        assertThat(scaled.get(0).removed()).extracting(UUID::toString).containsExactly(ids.get(1));
        assertThat(scaled.get(1).replicas()).isEqualTo(2);
        assertThat(scaled.get(1).added()).extracting(r -> r.instanceId().toString()).containsExactly(third);
        assertThat(scaled.get(1).added()).extracting(DeploymentCreated.Replica::ordinal).containsExactly(2);
    }

    @Test
    void an_invalid_count_is_named() {
        String id = createWith("bob", 2);
        for (String json : List.of("{\"replicas\": 0}", "{\"replicas\": 51}", "{\"replicas\": -3}")) {
            scale("bob", id, json).statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:validation"))
                    .body("instance", equalTo("/v1/deployments/" + id)).body("errors.field", contains("replicas"));
        }
        // a PATCH that names nothing to change (no count, no spec field) says so, on the body as a whole
        for (String json : List.of("{}", "{\"replicas\": null}")) {
            scale("bob", id, json).statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:validation")).body("errors.field", contains(""));
        }
        scale("bob", id, "{\"replicas\": \"many\"}").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("replicas"));
        scale("bob", id, "{\"replicas\": ").statusCode(400).contentType("application/problem+json");
        get("bob", id).body("replicas", equalTo(2)).body("instances", hasSize(2));
    }

    @Test
    void another_tenants_unknown_and_malformed_ids_are_not_found() {
        String id = createWith("bob", 2);
        scale("alice", id, "{\"replicas\": 3}").statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        scale("bob", UUID.randomUUID().toString(), "{\"replicas\": 3}").statusCode(404)
                .contentType("application/problem+json");
        scale("bob", "not-a-uuid", "{\"replicas\": 3}").statusCode(404).contentType("application/problem+json");
        get("bob", id).body("replicas", equalTo(2)).body("instances", hasSize(2));
    }

    @Test
    void a_deleted_deployment_cannot_be_scaled() {
        String id = createWith("bob", 2);
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id).then().statusCode(202);
        scale("bob", id, "{\"replicas\": 3}").statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:conflict")).body("detail", containsString("deleted"));
        get("bob", id).body("replicas", equalTo(2)).body("instances", hasSize(2));
    }

    @Test
    void operators_nodes_and_anonymous_callers_cannot_scale() {
        String id = createWith("bob", 2);
        scale("ops", id, "{\"replicas\": 3}").statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Tokens.node("test-a")).contentType(ContentType.JSON).body("{\"replicas\": 3}")
                .patch("/v1/deployments/" + id).then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"replicas\": 3}").patch("/v1/deployments/" + id).then()
                .statusCode(401);
    }

    private static String createWith(String user, int replicas) {
        return create(user, body(uniqueName("scale")).replace("\"replicas\": 2", "\"replicas\": " + replicas))
                .statusCode(201).extract().path("id");
    }

    private static ValidatableResponse scale(String user, String id, String json) {
        return given().auth().oauth2(Tokens.user(user)).contentType(ContentType.JSON).body(json)
                .patch("/v1/deployments/" + id).then();
    }

    private static ValidatableResponse get(String user, String id) {
        return given().auth().oauth2(Tokens.user(user)).get("/v1/deployments/" + id).then().statusCode(200);
    }

    private static ValidatableResponse assignments(String node) {
        return given().auth().oauth2(Tokens.node(node)).get(NodeApi.ASSIGNMENTS.replace("{node}", node)).then()
                .statusCode(200);
    }

    private static void report(String node, String instanceId, String json) {
        given().auth().oauth2(Tokens.node(node)).contentType(ContentType.JSON).body(json)
                .put(NodeApi.INSTANCE_STATUS.replace("{node}", node).replace("{instanceId}", instanceId)).then()
                .statusCode(204);
    }

    private static String one(String instanceId, String field) {
        return "instances.find { it.id == '" + instanceId + "' }." + field;
    }

    /**
     * Reads the deployments topic from the start with a fresh group and returns every {@code deployment.scaled} of the
     * deployment, in order, up to and including the first that matches {@code last}.
     */
    static List<DeploymentScaled> awaitScaled(String deploymentId, Predicate<DeploymentScaled> last) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        List<DeploymentScaled> seen = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.DEPLOYMENTS));
            return Await.value(DEADLINE, "deployment.scaled for " + deploymentId, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!deploymentId.equals(record.key())) {
                        continue;
                    }
                    Optional<Event<?>> event = EventCodec.decode(record.value());
                    if (event.isPresent() && event.get().data() instanceof DeploymentScaled scaled) {
                        seen.add(scaled);
                        if (last.test(scaled)) {
                            return List.copyOf(seen);
                        }
                    }
                }
                return null;
            });
        }
    }

    private void awaitProcessed(Event<?> event) {
        SchedulerStandIn.awaitProcessed(dataSource, event);
    }
}
