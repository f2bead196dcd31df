package dev.nanofleet.node.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.LogsGrant;
import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.node.testing.NodeHost;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The agent's instance-logs endpoint: only a grant signed with the key from the registration answer, for this node and
 * this instance, reads (a grant a rogue node captured for itself, or one for another instance, reads nothing), and it
 * reads what a real runc container printed, tailed and followed.
 */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")
@QuarkusTest
@WithTestResource(InstanceLogsApiIT.AgentWithStubControlApi.class)
class InstanceLogsApiIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NODE = "logs-node";

    @TestHTTPResource("/")
    URL base;

    public static final class AgentWithStubControlApi implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi(NODE);
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-logs-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>(Map.of("nanofleet.node.name", NODE,
                    "nanofleet.node.control-api-url", stub.baseUrl(), "nanofleet.node.join-token",
                    StubControlApi.JOIN_TOKEN, "nanofleet.node.state-dir",
                    stateDir.toString(), "nanofleet.node.registry.tls-verify", "false",
                    "nanofleet.node.reconcile-interval", "200ms", "nanofleet.node.stop-grace-period", "1s",
                    "nanofleet.node.hardware.enabled", "false"));
            config.put("nanofleet.node.agent-url", "http://127.0.0.1:9999");
            return config;
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                for (String binary : List.of("/usr/sbin/runc", "/usr/bin/runc")) {
                    if (stateDir != null && Files.isExecutable(Path.of(binary))) {
                        RuncRuntime cleanup = new RuncRuntime(binary, stateDir, HostFacts.hardLimits());
                        for (RuntimeInstance i : cleanup.list()) {
                            cleanup.stop(i.id(), Duration.ZERO);
                            cleanup.remove(i.id());
                        }
                        break;
                    }
                }
            } finally {
                if (stateDir != null) {
                    Files2.deleteTree(stateDir);
                }
            }
        }
    }

    /** What control-api sends with a read of {@code id}'s output on {@code node}. */
    static String grant(String node, UUID id) {
        return LogsGrant.readLogs(node, id, Instant.now()).sign(AgentWithStubControlApi.stub.grantKey.getPrivate());
    }

    private static String logsPath(UUID id) {
        return NodeApi.AGENT_INSTANCE_LOGS.replace("{instanceId}", id.toString());
    }

    @Test
    void only_the_control_plane_reads_an_instances_output_tailed_and_followed() throws Exception {
        StubControlApi stub = AgentWithStubControlApi.stub;
        Await.until(WAIT, "registration", () -> !stub.registrations.isEmpty());
        assertThat(stub.registrations.get(0).agentUrl()).isEqualTo("http://127.0.0.1:9999");

        UUID id = UUID.randomUUID();
        stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "globex",
                NodeHost.demoImage(), Isolation.SHARED, new Resources(200, 32),
                List.of("/bin/sh", "-c", "echo hello-1; echo hello-2 >&2; i=0; while true; do i=$((i+1)); "
                        + "echo tick-$i; sleep 1; done"),
                Map.of(), DesiredState.RUNNING));
        Await.untilAsserted(WAIT, id + " RUNNING", () -> assertThat(stub.reportsFor(id)).extracting(
                InstanceStatusReport::state).contains(InstanceState.RUNNING));

        given().get(logsPath(id)).then().statusCode(401);
        given().auth().oauth2("not-a-grant").get(logsPath(id)).then().statusCode(401);
        // what a rogue node could have captured: a grant for itself, or for another instance, replayed here
        given().auth().oauth2(grant("rogue-node", id)).get(logsPath(id)).then().statusCode(401);
        UUID other = UUID.randomUUID();
        given().auth().oauth2(grant(NODE, other)).get(logsPath(id)).then().statusCode(401);
        // signed with another key, expired, or made to live for an hour
        given().auth().oauth2(LogsGrant.readLogs(NODE, id, Instant.now())
                .sign(GrantKeys.fromSeed(GrantKeys.newSeed()).getPrivate())).get(logsPath(id)).then().statusCode(401);
        given().auth().oauth2(LogsGrant.readLogs(NODE, id, Instant.now().minusSeconds(120))
                .sign(AgentWithStubControlApi.stub.grantKey.getPrivate())).get(logsPath(id)).then().statusCode(401);
        given().auth().oauth2(new LogsGrant(NODE, id, LogsGrant.LOGS_READ, Instant.now().plusSeconds(3600))
                .sign(AgentWithStubControlApi.stub.grantKey.getPrivate())).get(logsPath(id)).then().statusCode(401);
        // a genuine grant for an instance this node does not have
        given().auth().oauth2(grant(NODE, other)).get(logsPath(other)).then().statusCode(404);
        given().auth().oauth2(grant(NODE, id)).get(logsPath(id) + "?tail=0").then().statusCode(400);

        String all = Await.value(WAIT, "the first lines",
                () -> {
                    String body = given().auth().oauth2(grant(NODE, id)).get(logsPath(id) + "?tail=10000").then()
                            .statusCode(200).contentType("text/plain").extract().asString();
                    return body.contains("tick-1\n") ? body : null;
                });
        // stdout keeps its order; stderr (hello-2) is in the same file but runc copies the two streams separately
        assertThat(all).startsWith("hello-").contains("hello-1\n", "hello-2\n");
        assertThat(all.indexOf("hello-1\n")).isLessThan(all.indexOf("tick-1\n"));
        // the last line is a tick once stderr's hello-2, copied on its own, has landed (it may follow tick-1)
        String last = Await.value(WAIT, "a tick as the last line", () -> {
            String body = given().auth().oauth2(grant(NODE, id)).get(logsPath(id) + "?tail=1").then().statusCode(200)
                    .extract().asString();
            return body.matches("tick-\\d+\n") ? body : null;
        });

        // follow: a line printed after the request arrives on the open stream
        int now = Integer.parseInt(last.strip().substring("tick-".length()));
        String expected = "tick-" + (now + 2);
        HttpRequest follow = HttpRequest
                .newBuilder(URI.create(base + logsPath(id).substring(1) + "?tail=1&follow=true"))
                .header("Authorization", "Bearer " + grant(NODE, id)).build();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> response = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.equals(expected)) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(seen.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
        }

        // the instance ends: a follower gets the rest and the stream ends by itself
        stub.assignments.remove(id);
        Await.untilAsserted(WAIT, id + " STOPPED", () -> assertThat(stub.reportsFor(id)).extracting(
                InstanceStatusReport::state).contains(InstanceState.STOPPED));
    }
}
