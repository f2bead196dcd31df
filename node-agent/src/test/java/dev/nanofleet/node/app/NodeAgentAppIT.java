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
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.nodeapi.UsageReport;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.testsupport.Await;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
 * test-support's demo image (from a registry). The host check runs before Quarkus boots.
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
                    "nanofleet.node.join-token", StubControlApi.JOIN_TOKEN,
                    "nanofleet.node.state-dir", stateDir.toString(),
                    "nanofleet.node.registry.tls-verify", "false", "nanofleet.node.reconcile-interval", "200ms",
                    "nanofleet.node.heartbeat-interval", "500ms", "nanofleet.node.labels.zone", "test-a",
                    "nanofleet.node.stop-grace-period", "1s"));
            config.put("nanofleet.node.usage-interval", "300ms");
            return config;
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                if (stateDir != null) {
                    for (String binary : List.of("/usr/sbin/runc", "/usr/bin/runc")) {
                        if (Files.isExecutable(Path.of(binary))) {
                            NodeNetwork network = NodeNetwork.setUp("it-node", stateDir, NodeNetwork.DEFAULT_POOL,
                                    "127.0.0.1");
                            RuncRuntime cleanup = new RuncRuntime(binary, stateDir, HostFacts.hardLimits(), network);
                            for (RuntimeInstance i : cleanup.list()) {
                                cleanup.stop(i.id(), Duration.ZERO);
                                cleanup.remove(i.id());
                            }
                            network.detachAll();
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

    @Inject
    NodeAgent agent;

    @Test
    void records_the_oci_runtime_it_chose_so_that_whoever_cleans_up_uses_the_same() throws IOException {
        assertThat(agent.ociRuntime()).isNotBlank();

        assertThat(Files.readString(StubResource.stateDir.resolve("oci-runtime"))).isEqualTo(agent.ociRuntime()
                + "\n");
    }

    @Test
    void registers_runs_its_assignment_reports_and_serves_health_and_metrics() {
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
        String image = NodeHost.demoImage();
        stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED,
                new Resources(200, 32), List.of(), Map.of(), DesiredState.RUNNING));
        stub.assignments.put(hardware, new Assignment(hardware, UUID.randomUUID(), "acme", image, Isolation.HARDWARE,
                new Resources(200, 32), List.of(), Map.of(), DesiredState.RUNNING));

        awaitState(stub, id, InstanceState.RUNNING);
        // the agent sets up instance networking by default and reports where the instance is
        assertThat(last(stub, id).network()).isNotNull().extracting(n -> n.address()).asString().startsWith("10.");
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

    @Test
    void restarts_a_crash_by_its_policy_keeps_its_output_and_samples_usage() throws IOException {
        StubControlApi stub = StubResource.stub;
        Await.until(WAIT, "registration", () -> !stub.registrations.isEmpty());
        String image = NodeHost.demoImage();
        UUID crashing = UUID.randomUUID();
        UUID busy = UUID.randomUUID();
        stub.assignments.put(crashing, new Assignment(crashing, UUID.randomUUID(), "acme", image, Isolation.SHARED,
                new Resources(200, 32), List.of("sh", "-c", "echo started; exit 3"), Map.of(), DesiredState.RUNNING,
                new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 2), List.of()));
        stub.assignments.put(busy, new Assignment(busy, UUID.randomUUID(), "acme", image, Isolation.SHARED,
                new Resources(200, 32), List.of("sh", "-c", "while :; do :; done"), Map.of(), DesiredState.RUNNING));

        awaitState(stub, crashing, InstanceState.EXITED);
        assertThat(last(stub, crashing)).isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null, 3, 2, null));
        assertThat(stub.reportsFor(crashing)).extracting(InstanceStatusReport::state).containsSubsequence(
                InstanceState.RUNNING, InstanceState.RESTARTING, InstanceState.RUNNING, InstanceState.RESTARTING,
                InstanceState.RUNNING, InstanceState.EXITED);
        assertThat(stub.reportsFor(crashing)).extracting(InstanceStatusReport::reason).contains(
                "exited with code 3; restarting in 1 s", "exited with code 3; restarting in 2 s");
        Path output = StubResource.stateDir.resolve("instances").resolve(crashing.toString()).resolve("output.log");
        assertThat(Files.readString(output)).isEqualTo("started\nstarted\nstarted\n");

        // the busy loop's cgroup shows CPU time growing and memory in use
        UsageReport.Sample first = Await.value(WAIT, "a usage sample of " + busy, () -> sampleOf(stub, busy, 0));
        UsageReport.Sample later = Await.value(WAIT, "a later usage sample of " + busy,
                () -> sampleOf(stub, busy, first.cpuNanos()));
        assertThat(later.sampledAt()).isAfter(first.sampledAt());
        assertThat(later.memoryBytes()).isPositive();
        assertThat(stub.usage).extracting(UsageReport.Sample::instanceId).doesNotContain(crashing);

        stub.assignments.remove(busy);
        stub.assignments.remove(crashing);
        awaitState(stub, busy, InstanceState.STOPPED);
    }

    /** The first sample of the instance with more CPU time than {@code moreThan} nanoseconds, or null. */
    private static UsageReport.Sample sampleOf(StubControlApi stub, UUID id, long moreThan) {
        return stub.usage.stream().filter(s -> s.instanceId().equals(id) && s.cpuNanos() > moreThan).findFirst()
                .orElse(null);
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
