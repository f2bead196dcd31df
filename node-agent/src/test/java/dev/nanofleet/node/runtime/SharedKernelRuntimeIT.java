package dev.nanofleet.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.node.core.ImageStore;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.RecordingControlPlane;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler driving real runc, skopeo and umoci against a local registry holding test-support's demo image
 * (busybox httpd by default; the tests that need another process pass a {@code command}).
 */
class SharedKernelRuntimeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;
    private static String ociRuntime;

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private final AtomicInteger pulls = new AtomicInteger();
    private ExecutorService workers;
    private RuncRuntime runtime;
    private Reconciler reconciler;

    @BeforeAll
    static void startRegistry() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-node-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        System.out.println("[it] OCI runtime: " + ociRuntime);
    }

    @AfterAll
    static void stopRegistry() {
        // the ephemeral registry deletes its temporary directory when closed
        try (OciRegistry r = registry) {
            if (stateDir != null && ociRuntime != null) {
                RuncRuntime cleanup = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits());
                for (RuntimeInstance i : cleanup.list()) {
                    cleanup.stop(i.id(), Duration.ZERO);
                    cleanup.remove(i.id());
                }
            }
        } finally {
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @BeforeEach
    void newAgent() {
        agentRestart();
    }

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    /** A fresh runtime, image store and reconciler over the same state dir: what an agent restart gives. */
    private void agentRestart() {
        if (workers != null) {
            workers.shutdownNow();
        }
        workers = Executors.newFixedThreadPool(4);
        runtime = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits());
        SkopeoImageStore skopeo = new SkopeoImageStore(stateDir, false);
        ImageStore counting = (ref, credentials, bundle) -> {
            pulls.incrementAndGet();
            return skopeo.prepare(ref, credentials, bundle);
        };
        reconciler = new Reconciler(controlPlane, List.of(runtime), counting, workers, Clock.systemUTC(),
                Duration.ofSeconds(2));
    }

    private static Assignment assignment(UUID id, String image, int memoryMiB, List<String> command,
            DesiredState desired) {
        return new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED, new Resources(500, memoryMiB),
                command, Map.of("GREETING", "hello"), desired);
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return controlPlane.awaitReport(reconciler, id, state, WAIT);
    }

    @Test
    void a_shared_kernel_instance_runs_with_its_memory_and_cpu_limits() throws IOException {
        UUID id = UUID.randomUUID();
        long began = System.nanoTime();
        controlPlane.assign(assignment(id, image, 64, List.of(), DesiredState.RUNNING));

        awaitReport(id, InstanceState.RUNNING);
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        System.out.println("[it] assignment to RUNNING (first pull of the image included): " + tookMs + " ms");

        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::status).isEqualTo(Status.RUNNING);
        String cgroup = BundleConfig.cgroupPath(id);
        assertThat(Files.readString(Cgroups.memoryLimitFile(cgroup)).strip()).isEqualTo(
                Long.toString(64L * 1024 * 1024));
        if (Cgroups.memoryIsV1()) {
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/cpu", cgroup, "cpu.cfs_quota_us")).strip())
                    .isEqualTo("50000");
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/pids", cgroup, "pids.max")).strip()).isEqualTo("512");
        }
        assertThat(controlPlane.reportsFor(id)).extracting(InstanceStatusReport::state).containsExactly(
                InstanceState.PULLING, InstanceState.STARTING, InstanceState.RUNNING);

        // a second instance of a cached image: the start time without the pull
        UUID second = UUID.randomUUID();
        long again = System.nanoTime();
        controlPlane.assign(assignment(second, image, 32, List.of(), DesiredState.RUNNING));
        awaitReport(second, InstanceState.RUNNING);
        System.out.println("[it] assignment to RUNNING with the image cached (unpack + runc run): "
                + (System.nanoTime() - again) / 1_000_000 + " ms");

        controlPlane.unassign(id);
        controlPlane.unassign(second);
        Await.until(WAIT, "both stopped and removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty() && !Files.exists(runtime.instanceDir(id));
        });
        assertThat(Path.of("/sys/fs/cgroup/memory", cgroup)).doesNotExist();
    }

    @Test
    void the_exit_code_of_the_process_is_reported() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, image, 32, List.of("sh", "-c", "echo $GREETING; exit 3"),
                DesiredState.RUNNING));

        InstanceStatusReport exited = awaitReport(id, InstanceState.EXITED);

        assertThat(exited.exitCode()).isEqualTo(3);
        assertThat(exited.reason()).isNull();
        assertThat(Files2.tail(runtime.outputLog(id), 1)).isEqualTo("hello");
    }

    @Test
    void a_process_over_its_memory_limit_is_oom_killed_and_reported_so() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, image, 16,
                List.of("sh", "-c", "exec dd if=/dev/zero of=/dev/null bs=64M count=1"), DesiredState.RUNNING));

        InstanceStatusReport exited = awaitReport(id, InstanceState.EXITED);

        assertThat(exited.reason()).isEqualTo("OOMKilled");
        assertThat(exited.exitCode()).isEqualTo(137);
    }

    @Test
    void stop_sends_term_then_kills_after_the_grace_period() {
        // sh as PID 1 ignores SIGTERM, so only the KILL after the grace period (2 s here) ends it
        UUID stubborn = UUID.randomUUID();
        // this one exits on TERM
        UUID polite = UUID.randomUUID();
        controlPlane.assign(assignment(stubborn, image, 32, List.of("sh", "-c", "sleep 3600 & wait"),
                DesiredState.RUNNING));
        controlPlane.assign(assignment(polite, image, 32,
                List.of("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait; done"),
                DesiredState.RUNNING));
        awaitReport(stubborn, InstanceState.RUNNING);
        awaitReport(polite, InstanceState.RUNNING);

        long began = System.nanoTime();
        controlPlane.assign(assignment(stubborn, image, 32, List.of(), DesiredState.STOPPED));
        controlPlane.assign(assignment(polite, image, 32, List.of(), DesiredState.STOPPED));
        awaitReport(polite, InstanceState.STOPPED);
        long politeMs = (System.nanoTime() - began) / 1_000_000;
        awaitReport(stubborn, InstanceState.STOPPED);
        long stubbornMs = (System.nanoTime() - began) / 1_000_000;
        System.out.println("[it] stop: TERM-aware instance " + politeMs + " ms, TERM-ignoring instance " + stubbornMs
                + " ms (grace 2000 ms)");

        assertThat(politeMs).isLessThan(2000);
        assertThat(stubbornMs).isBetween(2000L, 12_000L);
        assertThat(runtime.state(stubborn)).get().extracting(RuntimeInstance::exitCode).isEqualTo(137);
        assertThat(runtime.state(polite)).get().extracting(RuntimeInstance::exitCode).isEqualTo(0);
        assertThat(Path.of("/sys/fs/cgroup/memory", BundleConfig.cgroupPath(stubborn))).doesNotExist();
    }

    @Test
    void a_missing_image_fails_with_a_clear_reason() {
        UUID id = UUID.randomUUID();
        String missing = registry.address() + "/demo/does-not-exist:1";
        controlPlane.assign(assignment(id, missing, 32, List.of(), DesiredState.RUNNING));

        InstanceStatusReport failed = awaitReport(id, InstanceState.FAILED);

        assertThat(failed.reason()).startsWith("image pull failed: image " + missing + " not found in its registry");
        assertThat(runtime.state(id)).isEmpty();
    }

    @Test
    void an_unreachable_registry_fails_with_a_clear_reason() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, "127.0.0.1:1/demo/busybox:1", 32, List.of(), DesiredState.RUNNING));

        InstanceStatusReport failed = awaitReport(id, InstanceState.FAILED);

        assertThat(failed.reason()).contains("unreachable").contains("connection refused");
    }

    @Test
    void a_restarted_agent_adopts_the_running_instance_without_a_duplicate() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, image, 32, List.of(), DesiredState.RUNNING));
        awaitReport(id, InstanceState.RUNNING);
        int pullsBefore = pulls.get();
        long pidBefore = initPid(id);

        agentRestart();
        InstanceStatusReport adopted = awaitReport(id, InstanceState.RUNNING);
        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(adopted.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(pulls.get()).isEqualTo(pullsBefore);
        assertThat(initPid(id)).isEqualTo(pidBefore);
        assertThat(runtime.list()).filteredOn(i -> i.id().equals(id)).hasSize(1);

        // the adopted instance is not the new agent's child: stopping it still works and its exit is recorded
        controlPlane.assign(assignment(id, image, 32, List.of(), DesiredState.STOPPED));
        awaitReport(id, InstanceState.STOPPED);
        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::status).isEqualTo(Status.EXITED);
    }

    private long initPid(UUID id) {
        String out = ManagedProcess.run(Duration.ofMinutes(1),
                List.of(ociRuntime, "--root", stateDir.resolve("oci-state").toString(), "state", id.toString()));
        return Long.parseLong(out.replaceAll("(?s).*\"pid\":\\s*(\\d+).*", "$1"));
    }

    @Test
    void an_image_from_a_local_path_is_refused_whatever_the_transport() throws Exception {
        // the demo image's OCI layout is a real image on this host: only the refusal keeps the node from running it
        Path layout = DemoImage.ociLayout();
        Path archive = stateDir.resolve("demo.tar");
        ManagedProcess.run(Duration.ofMinutes(1), List.of("skopeo", "copy", "--quiet", "oci:" + layout + ":"
                + DemoImage.TAG, "oci-archive:" + archive));
        for (String reference : List.of("oci:" + layout + ":" + DemoImage.TAG, "oci-archive:" + archive)) {
            UUID id = UUID.randomUUID();
            controlPlane.assign(assignment(id, reference, 32, List.of("sh", "-c", "exit 0"), DesiredState.RUNNING));

            InstanceStatusReport failed = awaitReport(id, InstanceState.FAILED);

            assertThat(failed.reason()).startsWith("image pull failed: image reference '" + reference
                    + "' names the transport '" + reference.substring(0, reference.indexOf(':') + 1)
                    + "'; only registry references");
        }
    }

}
