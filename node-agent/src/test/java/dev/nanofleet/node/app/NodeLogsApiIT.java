package dev.nanofleet.node.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.LogsGrant;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeLogsGrant;
import dev.nanofleet.testsupport.Await;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The node's own logs ({@link NodeApi#AGENT_NODE_LOGS}): only control-api's grant for this node's logs reads them (an
 * instance's grant does not, nor a grant for another node); the kernel's messages come from the real /dev/kmsg, tailed
 * and followed; the agent's log from the file its configuration names.
 */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")
@QuarkusTest
@WithTestResource(NodeLogsApiIT.AgentWithStubControlApi.class)
class NodeLogsApiIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NODE = "node-logs-node";

    @TestHTTPResource("/")
    URL base;

    public static final class AgentWithStubControlApi implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;
        static Path agentLog;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi(NODE);
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-own-logs-it");
                agentLog = Files.writeString(stateDir.resolve("agent.log"), "agent-line-1\nagent-line-2\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("nanofleet.node.name", NODE, "nanofleet.node.control-api-url", stub.baseUrl(),
                    "nanofleet.node.join-token", StubControlApi.JOIN_TOKEN, "nanofleet.node.state-dir",
                    stateDir.toString(), "nanofleet.node.registry.tls-verify", "false",
                    "nanofleet.node.hardware.enabled", "false", "nanofleet.node.agent-url", "http://127.0.0.1:9999",
                    "nanofleet.node.logs.agent-source", "file", "nanofleet.node.logs.agent-file", agentLog.toString());
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                // nothing else to close
            } finally {
                if (stateDir != null) {
                    Files2.deleteTree(stateDir);
                }
            }
        }
    }

    private static String grant(String node) {
        return NodeLogsGrant.readNodeLogs(node, Instant.now()).sign(AgentWithStubControlApi.stub.grantKey.getPrivate());
    }

    @BeforeEach
    void registered() {
        Await.until(WAIT, "registration", () -> !AgentWithStubControlApi.stub.registrations.isEmpty());
    }

    @Test
    void only_control_apis_grant_for_this_nodes_logs_reads_them() {
        StubControlApi stub = AgentWithStubControlApi.stub;
        String path = NodeApi.AGENT_NODE_LOGS;

        given().get(path).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-grant").get(path).then().statusCode(401);
        // an instance's grant for this very node: another scope
        given().auth().oauth2(LogsGrant.readLogs(NODE, UUID.randomUUID(), Instant.now())
                .sign(stub.grantKey.getPrivate())).get(path).then().statusCode(401);
        // a grant a rogue node captured for itself, one signed with another key, an expired one
        given().auth().oauth2(grant("rogue-node")).get(path).then().statusCode(401);
        given().auth().oauth2(NodeLogsGrant.readNodeLogs(NODE, Instant.now())
                .sign(GrantKeys.fromSeed(GrantKeys.newSeed()).getPrivate())).get(path).then().statusCode(401);
        given().auth().oauth2(NodeLogsGrant.readNodeLogs(NODE, Instant.now().minusSeconds(120))
                .sign(stub.grantKey.getPrivate())).get(path).then().statusCode(401);
    }

    @Test
    void a_bad_source_tail_or_follow_is_a_problem_naming_the_parameter() {
        given().auth().oauth2(grant(NODE)).get(NodeApi.AGENT_NODE_LOGS + "?source=syslog&tail=0&follow=maybe").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("source"), "errors.field", hasItem("tail"), "errors.field",
                        hasItem("follow"));
        given().auth().oauth2(grant(NODE)).get(NodeApi.AGENT_NODE_LOGS + "?tail=ten").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("tail"));
    }

    @Test
    void the_agents_own_log_is_read_tailed_and_followed_from_its_file() throws Exception {
        String last = given().auth().oauth2(grant(NODE)).get(NodeApi.AGENT_NODE_LOGS + "?source=agent&tail=1").then()
                .statusCode(200).contentType("text/plain").extract().asString();
        assertThat(last).isEqualTo("agent-line-2\n");

        assertThat(follow("source=agent&tail=1&follow=true", "agent-line-3",
                () -> append(AgentWithStubControlApi.agentLog, "agent-line-3\n"))).isEqualTo("agent-line-3");
    }

    @Test
    void the_kernels_messages_are_read_from_dev_kmsg_tailed_and_followed() throws Exception {
        rootOrSkip();
        String before = "nanofleet-node-logs-it " + UUID.randomUUID();
        Files.writeString(Path.of("/dev/kmsg"), before + "\n", StandardOpenOption.WRITE);

        String tail = given().auth().oauth2(grant(NODE))
                .get(NodeApi.AGENT_NODE_LOGS + "?source=kernel&tail=10000").then().statusCode(200)
                .contentType("text/plain").extract().asString();
        assertThat(tail.lines()).allMatch(line -> line.matches("\\[ *\\d+\\.\\d{6}\\] .*"), "shaped as dmesg prints")
                .anyMatch(line -> line.endsWith("] " + before));
        given().auth().oauth2(grant(NODE)).get(NodeApi.AGENT_NODE_LOGS + "?source=kernel&tail=1").then()
                .statusCode(200).body(containsString("] "));

        String after = "nanofleet-node-logs-it " + UUID.randomUUID();
        String seen = follow("source=kernel&tail=1&follow=true", after, () -> {
            try {
                Files.writeString(Path.of("/dev/kmsg"), after + "\n", StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(seen).endsWith("] " + after);
    }

    /** Opens a follow stream, then does {@code write}, and returns the first line that contains {@code expected}. */
    private String follow(String query, String expected, Runnable write) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + NodeApi.AGENT_NODE_LOGS.substring(1) + "?"
                + query)).header("Authorization", "Bearer " + grant(NODE)).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            // the tail line arrives first: the stream is open and reading before anything is written
            assertThat(lines.readLine()).isNotNull();
            write.run();
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.contains(expected)) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** /dev/kmsg is written and read as root, which CI is; elsewhere the test is skipped, saying why. */
    private static void rootOrSkip() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && !"true".equals(System.getenv("CI"))) {
            String why = "skipped: writing and reading /dev/kmsg needs root, and this runs as "
                    + System.getProperty("user.name");
            System.out.println(why);
            Assumptions.abort(why);
        }
    }
}
