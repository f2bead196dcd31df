package dev.nanofleet.controlapi.it;

import static dev.nanofleet.controlapi.it.DeploymentApiIT.body;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.create;
import static dev.nanofleet.controlapi.it.DeploymentApiIT.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import dev.nanofleet.testsupport.Ports;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/instances/{id}/logs} against real PostgreSQL, Kafka and Keycloak, with a stub node agent that checks
 * control-api's own token (realm role control-plane) the way the real agent does.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class InstanceLogsApiIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String NODE = "test-b";

    private HttpServer agent;
    /** What the stub agent serves, by instance id; absent ids answer 404. */
    private final Map<String, String> output = new ConcurrentHashMap<>();
    private final Map<String, String> queries = new ConcurrentHashMap<>();

    @BeforeEach
    void startAStubAgent() throws IOException {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/v1/agent/instances/", this::serve);
        agent.start();
    }

    @AfterEach
    void stopTheStubAgent() {
        agent.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
        }
        Object roles = KeycloakServer.claims(auth.substring(7)).get("realm_access");
        if (roles == null || !roles.toString().contains(NodeApi.CONTROL_PLANE_ROLE)) {
            ex.sendResponseHeaders(403, -1);
            ex.close();
            return;
        }
        String id = ex.getRequestURI().getPath().split("/")[4];
        queries.put(id, String.valueOf(ex.getRequestURI().getQuery()));
        String body = output.get(id);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain;charset=UTF-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static ValidatableResponse logs(String user, String instanceId, String query) {
        return given().auth().oauth2(Tokens.user(user)).get("/v1/instances/" + instanceId + "/logs" + query).then();
    }

    private static void register(String agentUrl) {
        String json = """
                {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
                 "labels": {}, "agentVersion": "0.1.0", "agentUrl": %s}"""
                .formatted(agentUrl == null ? "null" : "\"" + agentUrl + "\"");
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(json)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then().statusCode(200);
    }

    /** Bob's new one-replica deployment, its instance placed on {@value #NODE}; returns the instance id. */
    private static String placedInstance() {
        var created = create("bob", body(uniqueName("logs")).replace("\"replicas\": 2", "\"replicas\": 1"))
                .statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        publish(Event.of("scheduler-it", Instant.now(), "globex", instanceId, new InstancePlaced(
                UUID.fromString(instanceId), UUID.fromString(deploymentId), NODE, Isolation.SHARED)));
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " placed on " + NODE,
                () -> given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + deploymentId).then()
                        .body("instances[0].node", equalTo(NODE)));
        return instanceId;
    }

    @Test
    void the_tenant_and_operators_read_an_instances_output_through_its_node_agent() {
        register("http://127.0.0.1:" + agent.getAddress().getPort());
        String id = placedInstance();
        output.put(id, "hello-1\nhello-2\n");

        String body = logs("bob", id, "").statusCode(200).contentType(containsString("text/plain")).extract()
                .asString();
        assertThat(body).isEqualTo("hello-1\nhello-2\n");
        assertThat(queries.get(id)).isEqualTo("tail=100&follow=false");

        logs("ops", id, "?tail=5&follow=true").statusCode(200);
        assertThat(queries.get(id)).isEqualTo("tail=5&follow=true");
    }

    @Test
    void another_tenants_instance_is_not_found_like_one_that_does_not_exist() {
        register("http://127.0.0.1:" + agent.getAddress().getPort());
        String id = placedInstance();
        output.put(id, "secret\n");

        logs("alice", id, "").statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("detail", containsString(id));
        logs("alice", UUID.randomUUID().toString(), "").statusCode(404).contentType("application/problem+json");
        logs("bob", "not-a-uuid", "").statusCode(404).contentType("application/problem+json");
        given().get("/v1/instances/" + id + "/logs").then().statusCode(401);
    }

    @Test
    void tail_and_follow_are_validated_naming_the_field() {
        String id = UUID.randomUUID().toString();
        for (String bad : List.of("0", "10001", "-1", "ten")) {
            logs("bob", id, "?tail=" + bad).statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("tail"));
        }
        logs("bob", id, "?follow=maybe").statusCode(400).body("errors[0].field", equalTo("follow"));
        logs("bob", id, "?tail=0&follow=maybe").statusCode(400).body("errors.field", equalTo(List.of("tail",
                "follow")));
    }

    @Test
    void without_a_placement_a_reachable_agent_or_its_output_there_are_no_logs_and_the_problem_says_why() {
        var unplaced = create("bob", body(uniqueName("waiting")).replace("\"replicas\": 2", "\"replicas\": 1"))
                .statusCode(201).extract();
        logs("bob", unplaced.path("instances[0].id"), "").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("not placed"));

        register("http://127.0.0.1:" + agent.getAddress().getPort());
        String id = placedInstance();
        // the agent has no output for it yet (not started there)
        logs("bob", id, "").statusCode(409).body("detail", containsString("no logs yet"));

        register(null);
        logs("bob", id, "").statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("no agent URL"));

        register("http://127.0.0.1:" + Ports.free());
        logs("bob", id, "").statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:node-unreachable"));
    }

    @Test
    void a_registration_with_an_agent_url_that_is_not_http_is_refused() {
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body("""
                {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["SHARED"],
                 "agentUrl": "ftp://node"}""").post(NodeApi.REGISTRATION.replace("{node}", NODE)).then()
                .statusCode(400).body("errors[0].field", equalTo("agentUrl"));
    }

    private static void publish(Event<?> event) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "logs-it")) {
            producer.send(new ProducerRecord<>(event.topic(), event.partitionKey(), EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new AssertionError("cannot publish " + event, e);
        }
    }
}
