package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nanofleet.controlapi.logs.LogsSigner;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.LogsGrant;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeLogsGrant;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.KeycloakTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import dev.nanofleet.testsupport.Ports;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/nodes/{name}/logs} against real PostgreSQL, Kafka and Keycloak, with a stub node agent that checks
 * control-api's grant the way the real agent does ({@code NodeLogsGrantCheck}: signed with the key of the
 * registration answer, for this node's logs only), so an instance's grant reads nothing there.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class NodeLogsApiIT {

    private static final String NODE = "logs-node-a";
    private static final String UNREADABLE = "<unreadable>";
    private static final String BROKEN = "<broken>";

    @Inject
    LogsSigner signer;

    private HttpServer agent;
    /** What the stub agent serves, by source; absent sources answer 404. */
    private final Map<String, String> output = new ConcurrentHashMap<>();
    /** The queries and grants the stub agent got, in order. */
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private volatile PublicKey grantKey;

    @BeforeEach
    void startAStubAgent() throws IOException {
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext(NodeApi.AGENT_NODE_LOGS, this::serve);
        agent.start();
    }

    @AfterEach
    void stopTheStubAgent() {
        agent.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        if (token == null || NodeLogsGrant.verify(token, grantKey).filter(g -> g.allows(NODE, Instant.now()))
                .isEmpty()) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
        }
        tokens.add(token);
        String query = String.valueOf(ex.getRequestURI().getQuery());
        queries.add(query);
        String source = query.replaceAll(".*source=([a-z]+).*", "$1");
        String body = output.get(source);
        if (body == null || BROKEN.equals(body)) {
            ex.sendResponseHeaders(body == null ? 404 : 500, -1);
            ex.close();
            return;
        }
        if (UNREADABLE.equals(body)) {
            byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"log not readable\",\"status\":409,\"detail\":"
                    + "\"kernel messages not readable on this node: /dev/kmsg is not readable by the agent's user\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(409, problem.length);
            ex.getResponseBody().write(problem);
            ex.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain;charset=UTF-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static ValidatableResponse logs(String user, String node, String query) {
        return given().auth().oauth2(Tokens.user(user)).get("/v1/nodes/" + node + "/logs" + query).then();
    }

    private void register(String agentUrl) {
        String json = """
                {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["SHARED"],
                 "labels": {}, "agentVersion": "0.1.0", "agentUrl": %s}"""
                .formatted(agentUrl == null ? "null" : "\"" + agentUrl + "\"");
        String key = given().auth().oauth2(Tokens.node(NODE)).contentType(ContentType.JSON).body(json)
                .post(NodeApi.REGISTRATION.replace("{node}", NODE)).then().statusCode(200).extract()
                .path(NodeApi.LOGS_GRANT_KEY);
        grantKey = GrantKeys.decode(key);
    }

    private String agentUrl() {
        return "http://127.0.0.1:" + agent.getAddress().getPort();
    }

    @Test
    void an_operator_reads_a_nodes_agent_log_and_kernel_messages_through_its_agent() {
        register(agentUrl());
        output.put("agent", "08:00:01 INFO started\n");
        output.put("kernel", "[    5.140900] NET: Registered PF_INET6 protocol family\n");

        assertThat(logs("ops", NODE, "").statusCode(200).contentType(containsString("text/plain")).extract()
                .asString()).isEqualTo("08:00:01 INFO started\n");
        assertThat(queries.getLast()).isEqualTo("source=agent&tail=100&follow=false");

        assertThat(logs("ops", NODE, "?source=kernel&tail=5&follow=true").statusCode(200).extract().asString())
                .isEqualTo("[    5.140900] NET: Registered PF_INET6 protocol family\n");
        assertThat(queries.getLast()).isEqualTo("source=kernel&tail=5&follow=true");
    }

    @Test
    void a_bad_source_tail_or_follow_is_a_problem_naming_the_field() {
        register(agentUrl());

        logs("ops", NODE, "?source=syslog").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("source")).body("errors[0].message", containsString("agent or kernel"));
        logs("ops", NODE, "?tail=0").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("tail"));
        logs("ops", NODE, "?tail=many&follow=maybe").statusCode(400).body("errors.field", hasItem("tail"))
                .body("errors.field", hasItem("follow"));
        assertThat(queries).isEmpty();
    }

    @Test
    void tenants_never_see_nodes_and_an_unknown_node_is_not_found() {
        register(agentUrl());
        output.put("agent", "secret\n");

        logs("bob", NODE, "").statusCode(403);
        logs("alice", NODE, "?source=kernel").statusCode(403);
        given().get("/v1/nodes/" + NODE + "/logs").then().statusCode(401);
        logs("ops", "no-such-node", "").statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no-such-node"));
        assertThat(queries).isEmpty();
    }

    @Test
    void a_log_the_node_cannot_read_an_unreachable_node_or_a_bad_answer_is_a_problem_saying_why() {
        register(agentUrl());
        output.put("kernel", UNREADABLE);
        logs("ops", NODE, "?source=kernel").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("kernel messages not readable on this node: /dev/kmsg is not"
                        + " readable by the agent's user"));

        output.put("agent", BROKEN);
        logs("ops", NODE, "").statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:node-bad-answer"))
                .body("detail", containsString("answered 500"));

        register(null);
        logs("ops", NODE, "").statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("no agent URL"));

        register("http://127.0.0.1:" + Ports.free());
        logs("ops", NODE, "").statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:nanofleet:problem:node-unreachable"))
                .body("detail", containsString("cannot be reached"));
    }

    @Test
    void the_agent_gets_a_grant_for_that_nodes_logs_only_and_an_instances_grant_reads_nothing_there()
            throws IOException {
        register(agentUrl());
        output.put("agent", "line\n");
        logs("ops", NODE, "").statusCode(200);

        String sent = tokens.getLast();
        NodeLogsGrant grant = NodeLogsGrant.verify(sent, grantKey).orElseThrow();
        assertThat(grant.node()).isEqualTo(NODE);
        assertThat(grant.scope()).isEqualTo(NodeLogsGrant.NODE_LOGS_READ);
        assertThat(grant.allows("another-node", Instant.now())).isFalse();
        // the same grant opens no instance's output
        assertThat(LogsGrant.verify(sent, grantKey)).isEmpty();
        assertThat(sent).doesNotContain(Tokens.user("ops"));

        // an instance's grant, genuine and for this very node, is refused by the agent's node-logs endpoint
        HttpURLConnection call = (HttpURLConnection) URI.create(agentUrl() + NodeApi.AGENT_NODE_LOGS + "?source=agent")
                .toURL().openConnection();
        call.setRequestProperty("Authorization", "Bearer " + signer.grant(NODE, UUID.randomUUID()));
        assertThat(call.getResponseCode()).isEqualTo(401);
        call.disconnect();
    }
}
