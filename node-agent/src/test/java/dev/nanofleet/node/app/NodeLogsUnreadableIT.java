package dev.nanofleet.node.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.nodeapi.NodeLogsGrant;
import dev.nanofleet.testsupport.Await;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** An agent whose configured log file is missing answers 409 saying so, as problem JSON, before any byte of a log. */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")
@QuarkusTest
@WithTestResource(NodeLogsUnreadableIT.AgentWithoutItsLogFile.class)
class NodeLogsUnreadableIT {

    private static final String NODE = "node-logs-missing";

    public static final class AgentWithoutItsLogFile implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi(NODE);
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-logs-missing-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("nanofleet.node.name", NODE, "nanofleet.node.control-api-url", stub.baseUrl(),
                    "nanofleet.node.join-token", StubControlApi.JOIN_TOKEN, "nanofleet.node.state-dir",
                    stateDir.toString(), "nanofleet.node.registry.tls-verify", "false",
                    "nanofleet.node.hardware.enabled", "false", "nanofleet.node.agent-url", "http://127.0.0.1:9999",
                    "nanofleet.node.logs.agent-file", stateDir.resolve("no-such.log").toString());
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

    @Test
    void a_missing_agent_log_file_is_a_conflict_naming_the_file() {
        StubControlApi stub = AgentWithoutItsLogFile.stub;
        Await.until(Duration.ofSeconds(60), "registration", () -> !stub.registrations.isEmpty());
        String grant = NodeLogsGrant.readNodeLogs(NODE, Instant.now()).sign(stub.grantKey.getPrivate());

        given().auth().oauth2(grant).get(NodeApi.AGENT_NODE_LOGS).then().statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409))
                .body("detail", containsString("the agent's log is not readable on this node: "))
                .body("detail", containsString("no-such.log (nanofleet.node.logs.agent-file) is not a readable file"));
    }
}
