package dev.nanofleet.node.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.exec.ExecHelperBuild;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.testing.StubControlApi;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.HealthCheck;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.nodeapi.NodeRegistration;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.FleetHome;
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
 * The whole agent with {@code nanofleet.node.hardware.enabled=true} and the exec helper (so its VMs carry the guest
 * agent): it advertises HARDWARE with the accelerator as a label, the reconciler dispatches a HARDWARE assignment to the
 * QEMU runtime (one TCG boot, ~7-12 s here), and HTTP and exec health checks of VMs run their cycle.
 */
@EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForVmsWithTheExecHelper")
@QuarkusTest
@WithTestResource(HardwareNodeAgentAppIT.StubResource.class)
class HardwareNodeAgentAppIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    public static final class StubResource implements QuarkusTestResourceLifecycleManager {
        static StubControlApi stub;
        static Path stateDir;

        @Override
        public Map<String, String> start() {
            stub = new StubControlApi("it-vm-node");
            try {
                stateDir = Files.createTempDirectory("nanofleet-node-vm-app-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> config = new HashMap<>();
            config.put("nanofleet.node.hardware.enabled", "true");
            config.put("nanofleet.node.hardware.kernel-cache", FleetHome.cache().resolve("guest-kernel").toString());
            config.putAll(Map.of("nanofleet.node.name", "it-vm-node", "nanofleet.node.control-api-url",
                    stub.baseUrl(), "nanofleet.node.join-token",
                    StubControlApi.JOIN_TOKEN, "nanofleet.node.state-dir",
                    stateDir.toString(), "nanofleet.node.registry.tls-verify", "false",
                    "nanofleet.node.reconcile-interval", "200ms", "nanofleet.node.heartbeat-interval", "500ms",
                    "nanofleet.node.stop-grace-period", "1s"));
            config.put("nanofleet.node.usage-interval", "300ms");
            // built into the fleet cache (about a second): the guest agent of every VM this agent boots
            config.put("nanofleet.node.exec.helper", ExecHelperBuild.ensure().toString());
            return config;
        }

        @Override
        public void stop() {
            try (StubControlApi s = stub) {
                // one VM powers itself off (exit 7), the health-checked ones are stopped: nothing is left but the network
                if (stateDir != null) {
                    NodeNetwork.setUp("it-vm-node", stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1").detachAll();
                }
            } finally {
                if (stateDir != null) {
                    Files2.deleteTree(stateDir);
                }
            }
        }
    }

    @Test
    void advertises_hardware_and_runs_a_hardware_assignment_in_a_vm() {
        StubControlApi stub = StubResource.stub;
        NodeRegistration registration = Await.value(WAIT, "registration",
                () -> stub.registrations.isEmpty() ? null : stub.registrations.get(0));
        assertThat(registration.isolations()).containsExactlyInAnyOrder(Isolation.SHARED, Isolation.HARDWARE);
        assertThat(registration.labels()).containsKey(NodeAgent.HARDWARE_ACCEL_LABEL);
        System.out.println("[it] registered with " + NodeAgent.HARDWARE_ACCEL_LABEL + "="
                + registration.labels().get(NodeAgent.HARDWARE_ACCEL_LABEL));

        UUID id = UUID.randomUUID();
        String image = NodeHost.demoImage();
        stub.assignments.put(id, new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.HARDWARE,
                new Resources(200, 32), List.of("sh", "-c", "echo hello-from-vm; sleep 2; exit 7"), Map.of(),
                DesiredState.RUNNING, new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1), List.of()));

        // it fails, its VM boots once more under the restart policy, fails again and stays EXITED
        Await.untilAsserted(WAIT.multipliedBy(2), id + " EXITED", () -> {
            List<InstanceStatusReport> all = stub.reportsFor(id);
            assertThat(all).isNotEmpty();
            assertThat(all.get(all.size() - 1).state()).isEqualTo(InstanceState.EXITED);
        });
        List<InstanceStatusReport> all = stub.reportsFor(id);
        assertThat(all.get(all.size() - 1)).isEqualTo(new InstanceStatusReport(InstanceState.EXITED, null, 7, 1,
                null));
        assertThat(all).extracting(InstanceStatusReport::state).containsSubsequence(InstanceState.RUNNING,
                InstanceState.RESTARTING, InstanceState.RUNNING, InstanceState.EXITED);
        assertThat(Files2.tail(StubResource.stateDir.resolve("vms/" + id + "/output.log"), 2))
                .isEqualTo("hello-from-vm\nhello-from-vm");
        // while it ran, its QEMU process was measured
        assertThat(stub.usage).filteredOn(sample -> sample.instanceId().equals(id)).isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.memoryBytes()).isGreaterThan(16L << 20));
    }

    @Test
    void an_http_check_reaches_the_vm_at_its_address_and_an_unhealthy_vm_is_ended_and_booted_again() {
        // the node reaches what the guest's eth0 serves at the address it reports; deleting the file on the host side
        // of the 9p rootfs is what the guest's httpd sees
        // under TCG on a busy machine a boot may take its time: the start period keeps that from counting
        HealthCheck http = new HealthCheck(HealthCheck.Type.HTTP, 8080, "/healthz", 200, 299, null, 1, 2, 120, 2);
        HealthCheckAppIT.healthCycle(StubResource.stub, StubResource.stateDir.resolve("vms"), Isolation.HARDWARE,
                http, "HTTP 404 from /healthz", WAIT.multipliedBy(2));
    }

    @Test
    void an_exec_check_runs_in_the_vm_through_the_guest_agent_and_a_failing_command_ends_and_boots_it_again() {
        // the guest agent runs the command in the container's root, which is the 9p share of the host's rootfs: the
        // file deleted on the host side is gone for the command; the start period covers a slow TCG boot
        HealthCheck exec = new HealthCheck(HealthCheck.Type.EXEC, 0, null, 0, 0, List.of("/bin/busybox", "test", "-f",
                "/www/healthz"), 1, 5, 120, 2);
        HealthCheckAppIT.healthCycle(StubResource.stub, StubResource.stateDir.resolve("vms"), Isolation.HARDWARE,
                exec, "exec /bin/busybox test -f /www/healthz exited with 1", WAIT.multipliedBy(2));
    }
}
