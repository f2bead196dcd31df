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
import dev.nanofleet.events.InstancePlaced;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.LogsGrant;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
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
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/instances/{id}/logs} against real PostgreSQL, Kafka and Keycloak, with a stub node agent that checks
 * control-api's grant (signed, for this node and this instance only) with the key from its registration answer, the
 * way the real agent does. Also: what a rogue node may register as its agent URL.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class InstanceLogsApiIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String NODE = "test-b";
    /** The deployment of each instance {@link #placedInstance()} made. */
    private static final Map<String, String> DEPLOYMENTS = new ConcurrentHashMap<>();
    /** Output the stub agent answers 500 for. */
    private static final String BROKEN = "<broken>";
    /** Output the stub agent answers with a redirect to another instance's logs. */
    private static final String REDIRECT = "<redirect>";

    private HttpServer agent;
    /** What the stub agent serves, by instance id; absent ids answer 404. */
    private final Map<String, String> output = new ConcurrentHashMap<>();
    private final Map<String, String> queries = new ConcurrentHashMap<>();
    /** The grants control-api sent, by instance id. */
    private final Map<String, LogsGrant> grants = new ConcurrentHashMap<>();
    private volatile PublicKey grantKey;

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
        String id = ex.getRequestURI().getPath().split("/")[4];
        LogsGrant grant = LogsGrant.verify(auth.substring(7), grantKey).orElse(null);
        if (grant == null || !grant.allows(NODE, UUID.fromString(id), LogsGrant.LOGS_READ, Instant.now())) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
        }
        grants.put(id, grant);
        queries.put(id, String.valueOf(ex.getRequestURI().getQuery()));
        String body = output.get(id);
        if (REDIRECT.equals(body)) {
            // an agent trying to send control-api on to another instance's logs
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + agent.getAddress().getPort()
                    + "/v1/agent/instances/" + UUID.randomUUID() + "/logs");
            ex.sendResponseHeaders(302, -1);
            ex.close();
            return;
        }
        if (BROKEN.equals(body)) {
            ex.sendResponseHeaders(500, -1);
            ex.close();
            return;
        }
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

    private void register(String agentUrl) {
        String key = registration(agentUrl).statusCode(200).body("name", equalTo(NODE)).extract()
                .path(NodeApi.LOGS_GRANT_KEY);
        grantKey = GrantKeys.decode(key);
    }

    private static ValidatableResponse registration(String agentUrl) {
        String json = """
                {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
                 "labels": {}, "agentVersion": "0.1.0", "agentUrl": %s}"""
                .formatted(agentUrl == null ? "null" : "\"" + agentUrl + "\"");
        return given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(json)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then();
    }

    private String agentUrl() {
        return "http://127.0.0.1:" + agent.getAddress().getPort();
    }

    /** Bob's new one-replica deployment, its instance placed on {@value #NODE}; returns the instance id. */
    private static String placedInstance() {
        var created = create("bob", body(uniqueName("logs")).replace("\"replicas\": 2", "\"replicas\": 1"))
                .statusCode(201).extract();
        String deploymentId = created.path("id");
        String instanceId = created.path("instances[0].id");
        DEPLOYMENTS.put(instanceId, deploymentId);
        SchedulerStandIn.publish(Event.of("scheduler-it", Instant.now(), "globex", instanceId, new InstancePlaced(
                UUID.fromString(instanceId), UUID.fromString(deploymentId), NODE, Isolation.SHARED)));
        Await.untilAsserted(DEADLINE, "instance " + instanceId + " placed on " + NODE,
                () -> given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + deploymentId).then()
                        .body("instances[0].node", equalTo(NODE)));
        return instanceId;
    }

    @Test
    void the_tenant_and_operators_read_an_instances_output_through_its_node_agent() {
        register(agentUrl());
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
    void a_browser_on_the_portals_origin_follows_an_instances_output() {
        register(agentUrl());
        String id = placedInstance();
        output.put(id, "hello-1\n");

        given().auth().oauth2(Tokens.user("bob")).header("Origin", "http://localhost:8085")
                .get("/v1/instances/" + id + "/logs?follow=true").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("http://localhost:8085")).body(equalTo("hello-1\n"));
        assertThat(queries.get(id)).isEqualTo("tail=100&follow=true");
    }

    @Test
    void another_tenants_instance_is_not_found_like_one_that_does_not_exist() {
        register(agentUrl());
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
                .body("detail", containsString("not placed")).body("detail", containsString("(state pending)"));

        register(agentUrl());
        String id = placedInstance();
        // the agent has no output for it yet (not started there)
        logs("bob", id, "").statusCode(409).body("detail", containsString("no logs yet"));

        register(null);
        logs("bob", id, "").statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("no agent URL"));

        register("http://127.0.0.1:" + Ports.free());
        logs("bob", id, "").statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:node-unreachable"))
                .body("detail", containsString("cannot be reached"));

        register(agentUrl());
        output.put(id, BROKEN);
        logs("bob", id, "").statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:node-bad-answer"))
                .body("detail", containsString("answered 500"));
        output.put(id, REDIRECT);
        logs("bob", id, "").statusCode(502).body("type", equalTo("urn:nanofleet:problem:node-bad-answer"))
                .body("detail", containsString("answered 302"));
    }

    @Test
    void a_node_cannot_register_an_agent_url_that_is_not_its_own_bare_address() {
        String port = String.valueOf(agent.getAddress().getPort());
        String otherTenantsInstance = UUID.randomUUID().toString();
        for (String url : List.of("ftp://node", "https://127.0.0.1:" + port, "http://localhost:" + port,
                "http://127.0.0.2:" + port, "http://127.0.0.1:99999", "http://127.0.0.1:" + port + "/v1",
                "http://127.0.0.1:" + port + "/v1/agent/instances/" + otherTenantsInstance + "/logs?tail=5&x=",
                "http://127.0.0.1:" + port + "?x=", "http://ops:pw@127.0.0.1:" + port)) {
            registration(url).statusCode(422).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:agent-url-not-allowed"))
                    .body("errors[0].field", equalTo("agentUrl")).body("detail", containsString(NODE));
        }
    }

    @Test
    void the_agent_gets_a_grant_for_its_node_and_that_instance_only_never_control_apis_token() {
        register(agentUrl());
        String id = placedInstance();
        String other = placedInstance();
        output.put(id, "mine\n");

        logs("bob", id, "").statusCode(200);

        LogsGrant grant = grants.get(id);
        assertThat(grant.node()).isEqualTo(NODE);
        assertThat(grant.instanceId()).hasToString(id);
        assertThat(grant.scope()).isEqualTo(LogsGrant.LOGS_READ);
        assertThat(grant.expiresAt()).isBefore(Instant.now().plus(LogsGrant.LIFETIME).plusSeconds(1));
        assertThat(grant.allows(NODE, UUID.fromString(other), LogsGrant.LOGS_READ, Instant.now())).isFalse();
        assertThat(grant.allows("test-a", UUID.fromString(id), LogsGrant.LOGS_READ, Instant.now())).isFalse();
    }

    @Test
    void an_ended_instances_output_stays_readable_until_its_deployment_is_deleted_and_the_retention_is_over() {
        register(agentUrl());
        String id = placedInstance();
        output.put(id, "about-to-crash\n");
        given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON)
                .body("{\"state\": \"EXITED\", \"exitCode\": 3, \"restarts\": 0}")
                .put(NodeApi.INSTANCE_STATUS.replace("{node}", NODE).replace("{instanceId}", id)).then()
                .statusCode(204);

        // the node is told to keep its files (and run nothing), so the output stays readable
        assertThat(assignment(id)).isEqualTo("ENDED");
        assertThat(logs("bob", id, "").statusCode(200).extract().asString()).isEqualTo("about-to-crash\n");

        given().auth().oauth2(Tokens.user("bob")).delete("/v1/deployments/" + DEPLOYMENTS.get(id)).then()
                .statusCode(202);
        assertThat(logs("bob", id, "").statusCode(200).extract().asString()).isEqualTo("about-to-crash\n");

        // nanofleet.logs.retention is 3 s in tests
        Await.untilAsserted(DEADLINE, "the output of " + id + " deleted after the retention",
                () -> logs("bob", id, "").statusCode(410).contentType("application/problem+json")
                        .body("type", equalTo("urn:nanofleet:problem:logs-deleted"))
                        .body("detail", containsString("kept for")).body("detail", containsString("(state exited)")));
        assertThat(assignment(id)).isNull();
    }

    @Test
    void only_the_newest_five_ended_instances_of_a_deployment_keep_their_output() {
        register(agentUrl());
        var created = create("bob", body(uniqueName("crashloop")).replace("\"replicas\": 2", "\"replicas\": 6"))
                .statusCode(201).extract();
        String deploymentId = created.path("id");
        List<String> ids = created.path("instances.id");
        for (String id : ids) {
            SchedulerStandIn.publish(
                    Event.of("scheduler-it", Instant.now(), "globex", id, new InstancePlaced(UUID.fromString(id),
                            UUID.fromString(deploymentId), NODE, Isolation.SHARED)));
        }
        Await.untilAsserted(DEADLINE, "6 instances placed on " + NODE,
                () -> given().auth().oauth2(Tokens.user("bob")).get("/v1/deployments/" + deploymentId).then()
                        .body("instances.node", equalTo(List.of(NODE, NODE, NODE, NODE, NODE, NODE))));
        for (String id : ids) { // in order: the first one ends first
            output.put(id, "crashed\n");
            given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON)
                    .body("{\"state\": \"EXITED\", \"exitCode\": 1, \"restarts\": 0}")
                    .put(NodeApi.INSTANCE_STATUS.replace("{node}", NODE).replace("{instanceId}", id)).then()
                    .statusCode(204);
        }

        logs("bob", ids.get(0), "").statusCode(410).body("type", equalTo("urn:nanofleet:problem:logs-deleted"))
                .body("detail", containsString("newest 5"));
        assertThat(assignment(ids.get(0))).isNull();
        for (String id : ids.subList(1, 6)) {
            assertThat(logs("bob", id, "").statusCode(200).extract().asString()).isEqualTo("crashed\n");
            assertThat(assignment(id)).isEqualTo("ENDED");
        }
    }

    /** The desired state the node is given for an instance, or null when its assignment list does not name it. */
    private static String assignment(String instanceId) {
        List<Map<String, Object>> assignments = given().auth().oauth2(Tokens.node(NODE))
                .get(NodeApi.ASSIGNMENTS.replace("{node}", NODE)).then().statusCode(200).extract()
                .path("assignments");
        return assignments.stream().filter(a -> instanceId.equals(a.get("instanceId")))
                .map(a -> String.valueOf(a.get("desiredState"))).findFirst().orElse(null);
    }

}
