package dev.nanofleet.node.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The whole agent, booted by Quarkus, against a stub control-api and token endpoint, running real containers of
 * test-support's demo image (from its OCI layout). The host check runs before Quarkus boots.
 */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")
@QuarkusTest
@WithTestResource(NodeAgentAppIT.StubResource.class)
class NodeAgentAppIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    public static final class StubResource implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi("it-node");
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-app-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new java.util.HashMap<>();
            // hardware isolation is covered by HardwareRuntimeIT; here the switch is off and HARDWARE must fail
            config.put("nanofleet.node.hardware.enabled", "false");
            config.putAll(Map.of("nanofleet.node.name", "it-node", "nanofleet.node.control-api-url", stub.baseUrl(),
                    "nanofleet.node.oidc.token-url", stub.tokenUrl(), "nanofleet.node.oidc.client-secret",
                    StubControlApi.SECRET, "nanofleet.node.state-dir", stateDir.toString(),
                    "nanofleet.node.registry.tls-verify", "false", "nanofleet.node.reconcile-interval", "200ms",
                    "nanofleet.node.heartbeat-interval", "500ms", "nanofleet.node.labels.zone", "test-a",
                    "nanofleet.node.stop-grace-period", "1s"));
            return config;
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                if (stateDir != null) {
                    for (String binary : List.of("/usr/sbin/runc", "/usr/bin/runc")) {
                        if (Files.isExecutable(Path.of(binary))) {
                            RuncRuntime cleanup = new RuncRuntime(binary, stateDir, HostFacts.hardLimits());
                            for (RuntimeInstance i : cleanup.list()) {
                                cleanup.stop(i.id(), Duration.ZERO);
                                cleanup.remove(i.id());
                            }
                            break;
                        }
                    }
                }
            } finally {
                if (stateDir != null) {
                    Files2.deleteTree(stateDir);
                }
            }
        }
    }

    @Test
    void registersRunsItsAssignmentReportsAndServesHealthAndMetrics() {
        StubControlApi stub = StubResource.stub;
        NodeRegistration registration = Await.value(WAIT, "registration",
                () -> stub.registrations.isEmpty() ? null : stub.registrations.get(0));
        assertThat(registration.isolations()).containsExactly(Isolation.SHARED);
        assertThat(registration.labels()).containsEntry("zone", "test-a");
        assertThat(registration.allocatable().cpuMillis()).isPositive();
        Await.until(WAIT, "a heartbeat", () -> stub.heartbeats.get() > 0);
        given().get("/q/health/ready").then().statusCode(200).body(containsString("registered-with-control-api"));
        given().get("/q/health/live").then().statusCode(200);

        UUID id = UUID.randomUUID();
        UUID hardware = UUID.randomUUID();
        String image = "oci:" + DemoImage.ociLayout() + ":" + DemoImage.TAG;
        stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED,
                new Resources(200, 32), List.of(), Map.of(), DesiredState.RUNNING));
        stub.assignments.put(hardware, new Assignment(hardware, UUID.randomUUID(), "acme", image, Isolation.HARDWARE,
                new Resources(200, 32), List.of(), Map.of(), DesiredState.RUNNING));

        awaitState(stub, id, InstanceState.RUNNING);
        awaitState(stub, hardware, InstanceState.FAILED);
        // OIDC is not configured here, so nobody may read logs, whatever the token
        given().get("/v1/agent/instances/" + id + "/logs").then().statusCode(401);
        given().auth().oauth2("anything").get("/v1/agent/instances/" + id + "/logs").then().statusCode(401);
        assertThat(last(stub, hardware).reason()).isEqualTo(Reconciler.HARDWARE_UNAVAILABLE);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("nanofleet_node_instances{state=\"RUNNING\"} 1.0")
                .contains("nanofleet_node_reconcile_seconds_count");

        stub.assignments.remove(id);
        awaitState(stub, id, InstanceState.STOPPED);
    }

    private static void awaitState(StubControlApi stub, UUID id, InstanceState state) {
        Await.untilAsserted(WAIT, id + " " + state,
                () -> assertThat(last(stub, id)).isNotNull().extracting(InstanceStatusReport::state).isEqualTo(state));
    }

    private static InstanceStatusReport last(StubControlApi stub, UUID id) {
        List<InstanceStatusReport> all = stub.reportsFor(id);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }
}
