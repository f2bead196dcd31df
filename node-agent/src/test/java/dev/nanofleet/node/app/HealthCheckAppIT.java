package dev.nanofleet.node.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceHealth;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Health checks run by the whole agent against real runc containers of the demo image (busybox httpd serving
 * {@code /www}): each instance's command writes {@code /www/healthz} and serves it; the test deletes the file from the
 * instance's rootfs on the host, the check fails, the agent ends the process, and the restart policy starts it again
 * (whose command writes the file anew).
 */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")
@QuarkusTest
@WithTestResource(HealthCheckAppIT.StubResource.class)
class HealthCheckAppIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    /** Writes the file the checks look for, then serves {@code /www} (runc and the VM's init run it alike). */
    static final List<String> SERVE_HEALTHZ = List.of("sh", "-c",
            "echo ok > /www/healthz && exec /bin/busybox httpd -f -p 8080 -h /www");

    public static final class StubResource implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi("it-health-node");
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-health-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("nanofleet.node.hardware.enabled", "false");
            config.putAll(Map.of("nanofleet.node.name", "it-health-node", "nanofleet.node.control-api-url", stub
                    .baseUrl(), "nanofleet.node.join-token",
                    StubControlApi.JOIN_TOKEN, "nanofleet.node.state-dir", stateDir.toString(),
                    "nanofleet.node.registry.tls-verify", "false", "nanofleet.node.reconcile-interval", "200ms",
                    "nanofleet.node.heartbeat-interval", "500ms", "nanofleet.node.stop-grace-period", "1s"));
            return config;
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                if (stateDir != null) {
                    NodeNetwork network = NodeNetwork.setUp("it-health-node", stateDir, NodeNetwork.DEFAULT_POOL,
                            "127.0.0.1");
                    RuncRuntime cleanup = new RuncRuntime("/usr/sbin/runc", stateDir, HostFacts.hardLimits(),
                            network);
                    for (RuntimeInstance i : cleanup.list()) {
                        cleanup.stop(i.id(), Duration.ZERO);
                        cleanup.remove(i.id());
                    }
                    network.detachAll();
                }
            } finally {
                if (stateDir != null) {
                    Files2.deleteTree(stateDir);
                }
            }
        }
    }

    /**
     * Checked every second, failing twice in a row ends it; the start period keeps a slow start (a loaded machine)
     * from counting as failures, and ends with the first pass.
     */
    static HealthCheck http() {
        return new HealthCheck(HealthCheck.Type.HTTP, 8080, "/healthz", 200, 299, null, 1, 1, 60, 2);
    }

    static Assignment checked(UUID id, Isolation isolation, List<String> command, RestartPolicy policy,
            HealthCheck check) {
        return new Assignment(id, UUID.randomUUID(), "acme", NodeHost.demoImage(), isolation, new Resources(200, 32),
                command, Map.of(), DesiredState.RUNNING, policy, List.of(), null, check);
    }

    @Test
    void an_http_check_makes_it_healthy_and_a_missing_healthz_ends_and_restarts_it_with_the_reason() {
        healthCycle(StubResource.stub, StubResource.stateDir.resolve("instances"), Isolation.SHARED, http(),
                "HTTP 404 from /healthz", WAIT);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("nanofleet_node_health_checks_total{result=\"pass\",type=\"HTTP\"}")
                .contains("nanofleet_node_health_checks_total{result=\"fail\",type=\"HTTP\"}");
    }

    @Test
    void an_exec_check_runs_in_the_container_and_a_failing_command_ends_and_restarts_it() {
        HealthCheck exec = new HealthCheck(HealthCheck.Type.EXEC, 0, null, 0, 0, List.of("/bin/busybox", "test",
                "-e", "/www/healthz"), 1, 2, 60, 2);

        healthCycle(StubResource.stub, StubResource.stateDir.resolve("instances"), Isolation.SHARED, exec,
                "exec /bin/busybox test -e /www/healthz exited with 1", WAIT);
    }

    @Test
    void a_tcp_check_passes_on_a_listening_port_and_ends_an_instance_whose_port_is_closed() {
        StubControlApi stub = StubResource.stub;
        Await.until(WAIT, "registration", () -> !stub.registrations.isEmpty());
        UUID serving = UUID.randomUUID();
        UUID closed = UUID.randomUUID();
        stub.assignments.put(serving, checked(serving, Isolation.SHARED, List.of(), RestartPolicy.NEVER,
                new HealthCheck(HealthCheck.Type.TCP, 8080, null, 0, 0, null, 1, 1, 30, 1)));
        stub.assignments.put(closed, checked(closed, Isolation.SHARED, List.of(), RestartPolicy.NEVER,
                new HealthCheck(HealthCheck.Type.TCP, 8081, null, 0, 0, null, 1, 1, 0, 1)));

        awaitLast(stub, serving, WAIT, r -> r.state() == InstanceState.RUNNING
                && r.health() == InstanceHealth.HEALTHY);
        InstanceStatusReport ended = awaitLast(stub, closed, WAIT, r -> r.state() == InstanceState.EXITED);
        // the threshold is 1; a check may fail once more while the process is being ended, and the reason counts it
        assertThat(ended.reason()).matches("health check failed (1 time|\\d+ times in a row): TCP connect to port 8081:"
                + " connection refused");
        assertThat(stub.reportsFor(closed)).anySatisfy(r -> {
            assertThat(r.health()).isEqualTo(InstanceHealth.UNHEALTHY);
            assertThat(r.healthReason()).isEqualTo("TCP connect to port 8081: connection refused");
        });

        stub.assignments.remove(serving);
        stub.assignments.remove(closed);
        awaitLast(stub, serving, WAIT, r -> r.state() == InstanceState.STOPPED);
    }

    /**
     * Runs an instance serving {@code /www/healthz} with {@code check}, restarted on failure: it turns HEALTHY; the file
     * deleted, it turns UNHEALTHY with {@code failure}, is ended and RESTARTING with the reason, and its next run is
     * HEALTHY again. Prints how long each step took.
     */
    static void healthCycle(StubControlApi stub, Path instancesDir, Isolation isolation, HealthCheck check,
            String failure, Duration wait) {
        Await.until(wait, "registration", () -> !stub.registrations.isEmpty());
        UUID id = UUID.randomUUID();
        long t0 = System.nanoTime();
        stub.assignments.put(id, checked(id, isolation, SERVE_HEALTHZ, new RestartPolicy(
                RestartPolicy.Mode.ON_FAILURE, 3), check));

        awaitLast(stub, id, wait, r -> r.state() == InstanceState.RUNNING);
        long running = System.nanoTime();
        awaitLast(stub, id, wait, r -> r.state() == InstanceState.RUNNING && r.health() == InstanceHealth.HEALTHY);
        long healthy = System.nanoTime();
        assertThat(stub.reportsFor(id)).anySatisfy(r -> {
            assertThat(r.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(r.health()).isEqualTo(InstanceHealth.STARTING);
        });

        Path healthz = instancesDir.resolve(id.toString()).resolve("bundle/rootfs/www/healthz");
        assertThat(healthz).exists();
        try {
            Files.delete(healthz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deleted = System.nanoTime();
        String reason = "health check failed 2 times in a row: " + failure;
        InstanceStatusReport restarting = awaitLast(stub, id, wait, r -> r.state() == InstanceState.RESTARTING);
        long restartingAt = System.nanoTime();
        assertThat(restarting.reason()).isEqualTo(reason + "; restarting in 1 s");
        assertThat(stub.reportsFor(id)).anySatisfy(r -> {
            assertThat(r.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(r.health()).isEqualTo(InstanceHealth.UNHEALTHY);
            assertThat(r.healthReason()).isEqualTo(failure);
        });

        InstanceStatusReport again = awaitLast(stub, id, wait, r -> r.state() == InstanceState.RUNNING
                && r.restarts() == 1 && r.health() == InstanceHealth.HEALTHY);
        long healthyAgain = System.nanoTime();
        assertThat(again.healthReason()).isNull();
        System.out.printf("[it] health %s %s: assigned->RUNNING %d ms, assigned->HEALTHY %d ms, healthz deleted->"
                + "RESTARTING %d ms, RESTARTING->HEALTHY again %d ms%n", isolation, check.type(), ms(t0, running),
                ms(
                        t0, healthy),
                ms(deleted, restartingAt), ms(restartingAt, healthyAgain));

        stub.assignments.remove(id);
        awaitLast(stub, id, wait, r -> r.state() == InstanceState.STOPPED);
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    static InstanceStatusReport awaitLast(StubControlApi stub, UUID id, Duration wait,
            java.util.function.Predicate<InstanceStatusReport> wanted) {
        return Await.value(wait, "a report of " + id + " as wanted (reports so far: " + id + ")", () -> {
            List<InstanceStatusReport> all = stub.reportsFor(id);
            InstanceStatusReport last = all.isEmpty() ? null : all.get(all.size() - 1);
            return last != null && wanted.test(last) ? last : null;
        });
    }
}
