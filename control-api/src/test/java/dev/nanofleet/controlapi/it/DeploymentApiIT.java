package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.nanofleet.events.DeploymentCreated;
import dev.nanofleet.events.DeploymentDeleted;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The tenant API against real PostgreSQL, Kafka and Keycloak, with real tokens. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class DeploymentApiIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static String body(String name) {
        return """
                {"name": "%s", "image": "busybox:1.36", "replicas": 2,
                 "resources": {"cpuMillis": 250, "memoryMiB": 128}, "isolation": "auto",
                 "command": ["sh", "-c", "sleep 3600"], "env": {"GREETING": "hello"}}""".formatted(name);
    }

    static ValidatableResponse create(String user, String json) {
        return given().auth().oauth2(Tokens.user(user)).contentType(ContentType.JSON).body(json)
                .post("/v1/deployments").then();
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a_trusted_tenant_creates_a_deployment_and_the_scheduler_is_told_with_the_instance_ids() {
        String name = uniqueName("web");
        var response = create("bob", body(name)).statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/v1/deployments/")).body("name", equalTo(name))
                .body("isolation", equalTo("shared")).body("instances", hasSize(2))
                .body("instances.state", everyItem(equalTo("pending"))).body("env.GREETING", equalTo("hello"))
                .extract();
        String id = response.path("id");
        List<String> instanceIds = response.path("instances.id");
        assertThat(response.header("Location")).endsWith("/v1/deployments/" + id);

        DeploymentCreated created = awaitEvent(Topics.DEPLOYMENTS, id, DeploymentCreated.class);
        assertThat(created.tenant()).isEqualTo("globex");
        assertThat(created.tenantTrust()).isEqualTo(TenantTrust.TRUSTED);
        assertThat(created.isolation()).isEqualTo(Isolation.SHARED);
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.replicas()).extracting(r -> r.instanceId().toString())
                .containsExactlyElementsOf(instanceIds);
        assertThat(created.replicas()).extracting(DeploymentCreated.Replica::ordinal).containsExactly(0, 1);
    }

    @Test
    void an_untrusted_tenant_gets_hardware_isolation_by_default() {
        create("alice", body(uniqueName("vm"))).statusCode(201).body("isolation", equalTo("hardware"));
    }

    @Test
    void an_untrusted_tenant_asking_for_a_shared_kernel_is_refused_with_the_reason() {
        create("alice", body(uniqueName("shared")).replace("\"auto\"", "\"shared\"")).statusCode(422)
                .contentType("application/problem+json").body("status", equalTo(422))
                .body("detail", containsString("trusted tenants"));
    }

    @Test
    void a_trusted_tenant_may_ask_for_hardware_isolation() {
        create("bob", body(uniqueName("hw")).replace("\"auto\"", "\"hardware\"")).statusCode(201)
                .body("isolation", equalTo("hardware"));
    }

    @Test
    void another_tenant_can_neither_see_nor_get_nor_delete_the_deployment() {
        String id = create("bob", body(uniqueName("secret"))).statusCode(201).extract().path("id");

        given().auth().oauth2(Tokens.user("alice")).get("/v1/deployments/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("instance", equalTo("/v1/deployments/" + id));
        given().auth().oauth2(Tokens.user("alice")).delete("/v1/deployments/" + id).then().statusCode(404);
        given().auth().oauth2(Tokens.user("alice")).get("/v1/deployments").then().statusCode(200)
                .body("id", not(hasItem(id)));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments").then().statusCode(200)
                .body("id", hasItem(id));
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + id).then().statusCode(200)
                .body("instances", hasSize(2)).body("instances[0].ordinal", equalTo(0))
                .body("instances[0].updatedAt", notNullValue());
    }

    @Test
    void a_malformed_id_is_not_found() {
        given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void a_request_without_a_token_is_unauthorized() {
        given().contentType(ContentType.JSON).body(body("anon")).post("/v1/deployments").then().statusCode(401);
        given().get("/v1/deployments").then().statusCode(401);
        given().get("/v1/nodes").then().statusCode(401);
    }

    @Test
    void a_forged_token_is_unauthorized() {
        given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJnbG9iZXgifQ.").get("/v1/deployments").then()
                .statusCode(401);
    }

    @Test
    void an_operator_token_names_no_tenant_and_is_forbidden_on_deployments() {
        given().auth().oauth2(Tokens.user("ops")).get("/v1/deployments").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("no tenant"));
        given().auth().oauth2(Tokens.user("ops")).contentType(ContentType.JSON).body(body("ops"))
                .post("/v1/deployments").then().statusCode(403);
    }

    @Test
    void a_node_token_is_forbidden_on_deployments() {
        given().auth().oauth2(Tokens.node("test-a")).get("/v1/deployments").then().statusCode(403);
    }

    @Test
    void a_duplicate_name_in_the_same_tenant_conflicts_but_another_tenant_may_use_it() {
        String name = uniqueName("dup");
        create("bob", body(name)).statusCode(201);
        create("bob", body(name)).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(name));
        create("alice", body(name)).statusCode(201);
    }

    @Test
    void every_invalid_field_is_named_by_its_json_path() {
        String json = """
                {"name": "Not_A_Label", "image": "BAD IMAGE", "replicas": 0,
                 "resources": {"cpuMillis": 10, "memoryMiB": 999999},
                 "command": ["sh", null], "env": {"1BAD": "x"}}""";
        create("bob", json).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:validation")).body("title", notNullValue())
                .body("status", equalTo(400)).body("instance", equalTo("/v1/deployments"))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("name", "image", "replicas",
                        "resources.cpuMillis", "resources.memoryMiB", "command[1]", "env.1BAD"));
    }

    @Test
    void missing_required_fields_are_named() {
        create("bob", "{}").statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("name", "image", "replicas", "resources"));
    }

    @Test
    void a_deployment_restarts_crashes_by_default_and_names_a_bad_restart_mode_or_port() {
        create("bob", body(uniqueName("defaults"))).statusCode(201).body("restartPolicy.mode", equalTo("on-failure"))
                .body("restartPolicy.maxRetries", equalTo(5)).body("ports", hasSize(0));
        create("bob",
                body(uniqueName("restart")).replace("\"env\"", "\"restartPolicy\": {\"mode\": \"sometimes\"}, \"env\""))
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("restartPolicy.mode"))
                .body("errors[0].message", containsString("never, on-failure, always"));
        create("bob", body(uniqueName("ports")).replace("\"env\"", "\"ports\": [{\"containerPort\": 70000}], \"env\""))
                .statusCode(400).body("errors[0].field", equalTo("ports[0].containerPort"));
    }

    @Test
    void an_unknown_isolation_is_named() {
        create("bob", body(uniqueName("iso")).replace("\"auto\"", "\"vm\"")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("isolation"))
                .body("errors[0].message", containsString("auto, hardware, shared"));
    }

    @Test
    void a_wrongly_typed_field_is_named() {
        create("bob", body(uniqueName("typed")).replace("\"replicas\": 2", "\"replicas\": \"two\"")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("replicas"));
        create("bob", body(uniqueName("typed")).replace("\"memoryMiB\": 128", "\"memoryMiB\": [1]"))
                .statusCode(400).body("errors[0].field", equalTo("resources.memoryMiB"));
    }

    @Test
    void malformed_json_is_a_bad_request() {
        create("bob", "{\"name\": ").statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400));
        create("bob", "[]").statusCode(400).contentType("application/problem+json");
    }

    @Test
    void deleting_stops_every_replica_and_tells_the_scheduler() {
        String id = create("bob", body(uniqueName("gone"))).statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id).then().statusCode(202)
                .body("deletedAt", notNullValue()).body("instances.desiredState", everyItem(equalTo("stopped")))
                .body("instances.state", everyItem(equalTo("stopped")));
        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + id).then().statusCode(202);
        DeploymentDeleted deleted = awaitEvent(Topics.DEPLOYMENTS, id, DeploymentDeleted.class);
        assertThat(deleted.tenant()).isEqualTo("globex");
    }

    @Test
    void a_tenant_is_forbidden_to_list_nodes_and_an_operator_may() {
        given().auth().oauth2(Tokens.user("alice")).get("/v1/nodes").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(Tokens.user("ops")).get("/v1/nodes").then().statusCode(200)
                .contentType(ContentType.JSON);
    }

    @Test
    void health_metrics_and_openapi_are_served() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("kafka"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", notNullValue())
                .body(containsString("/v1/deployments")).body(not(containsString("/v1/node-api/")));
        // the node agents' API is a document of its own
        given().get("/q/openapi-node-api?format=json").then().statusCode(200)
                .body(containsString("/v1/node-api/nodes/{node}/assignments"))
                .body(not(containsString("/v1/deployments")));
    }

    /** Reads the topic from the start with a fresh group until the event of the given type for the key shows up. */
    static <T> T awaitEvent(String topic, String key, Class<T> type) {
        return awaitEvent(topic, key, type, event -> true);
    }

    /** The first event of the type under the key that matches (other tests' events may share the key). */
    static <T> T awaitEvent(String topic, String key, Class<T> type, java.util.function.Predicate<T> matching) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "it-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            return Await.value(DEADLINE, type.getSimpleName() + " for " + key + " on " + topic, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!key.equals(record.key())) {
                        continue;
                    }
                    Optional<Event<?>> event = EventCodec.decode(record.value());
                    if (event.isPresent() && type.isInstance(event.get().data())
                            && matching.test(type.cast(event.get().data()))) {
                        return type.cast(event.get().data());
                    }
                }
                return null;
            });
        }
    }

}
