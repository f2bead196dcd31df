package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.RecordingControlPlane;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler driving real QEMU (TCG here: this machine's /dev/kvm is not hardware virtualization), Debian's kernel
 * (fetched into {@code .fleet/cache/guest-kernel}), skopeo and umoci against a local registry holding test-support's
 * demo image. Each boot takes ~7-12 s of wall time under TCG on a shared 2-core machine, so the tests boot few VMs.
 */
class HardwareRuntimeIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;
    private static GuestKernel kernel;
    private static Accelerator.Probe accel;

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private ExecutorService workers;
    private QemuRuntime runtime;
    private Reconciler reconciler;

    @BeforeAll
    static void setUp() throws IOException {
        NodeHost.require("qemu-system-x86_64", "busybox", "skopeo", "umoci", "docker-registry", "apt-get",
                "dpkg-deb");
        long began = System.nanoTime();
        kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"), GuestKernel.DEFAULT_META_PACKAGE);
        System.out.println("[it] guest kernel " + kernel.release() + " ready in " + (System.nanoTime() - began)
                / 1_000_000 + " ms (fetched only when not cached)");
        accel = Accelerator.choose("auto");
        System.out.println("[it] accelerator: " + accel.accelerator().qemuName() + " (" + accel.reason() + ")");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-vm-it");
    }

    @AfterAll
    static void tearDown() {
        try (OciRegistry r = registry) {
            if (stateDir != null && kernel != null) {
                QemuRuntime cleanup = runtime();
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

    private static QemuRuntime runtime() {
        return new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(), HostTools.get("busybox"), kernel, accel,
                stateDir, Duration.ofSeconds(120));
    }

    @BeforeEach
    void newAgent() {
        agentRestart();
    }

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    /** A fresh runtime and reconciler over the same state dir: what an agent restart gives. */
    private void agentRestart() {
        if (workers != null) {
            workers.shutdownNow();
        }
        workers = Executors.newFixedThreadPool(4);
        runtime = runtime();
        reconciler = new Reconciler(controlPlane, List.of(runtime), new SkopeoImageStore(stateDir, false), workers,
                Clock.systemUTC(), Duration.ofSeconds(3));
    }

    private static Assignment assignment(UUID id, List<String> command, DesiredState desired) {
        return new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.HARDWARE, new Resources(500, 64),
                command, Map.of("GREETING", "hello-from-vm"), desired);
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return Await.value(WAIT, id + " reported " + state, () -> {
            reconciler.reconcile();
            InstanceStatusReport last = controlPlane.lastReport(id);
            if (last == null || last.state() != state) {
                throw new AssertionError("last report: " + last);
            }
            return last;
        });
    }

    @Test
    void aVmRunsTheCommandItsOutputIsCapturedAndItsExitCodePropagates() {
        UUID id = UUID.randomUUID();
        long began = System.nanoTime();
        controlPlane.assign(assignment(id, List.of("sh", "-c", "echo $GREETING; pwd; exit 7"), DesiredState.RUNNING));

        InstanceStatusReport exited = awaitReport(id, InstanceState.EXITED);
        System.out.println("[it] assignment to EXITED in a VM (pull, unpack, boot, run, power off): "
                + (System.nanoTime() - began) / 1_000_000 + " ms");

        assertThat(exited.exitCode()).isEqualTo(7);
        assertThat(exited.reason()).isNull();
        assertThat(controlPlane.reportsFor(id)).extracting(InstanceStatusReport::state).containsSubsequence(
                InstanceState.PULLING, InstanceState.STARTING, InstanceState.EXITED);
        assertThat(Files2.tail(runtime.outputLog(id), 2)).isEqualTo("hello-from-vm\n/");
        assertThat(runtime.vmAlive(id)).isFalse();

        controlPlane.unassign(id);
        Await.until(WAIT, "removed", () -> {
            reconciler.reconcile();
            return !Files.exists(runtime.instanceDir(id));
        });
    }

    @Test
    void theImagesOwnCommandRunsAndARestartedAgentAdoptsTheVmAndStopsIt() throws IOException {
        // the demo image's entrypoint (busybox httpd in the foreground) under its own env and working dir
        UUID id = UUID.randomUUID();
        long began = System.nanoTime();
        controlPlane.assign(assignment(id, List.of(), DesiredState.RUNNING));
        awaitReport(id, InstanceState.RUNNING);
        long qemuPid = runtime.qemuPid(id).orElseThrow();
        System.out.println("[it] assignment to RUNNING in a VM (pull, unpack, boot): " + (System.nanoTime() - began)
                / 1_000_000 + " ms; QEMU RSS " + QemuRuntime.rssKiB(qemuPid).orElse(-1) / 1024 + " MiB for a "
                + QemuRuntime.vmMemoryMiB(64) + " MiB VM");

        agentRestart();
        reconciler.reconcile();
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.RUNNING);
        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::status).isEqualTo(Status.RUNNING);

        // httpd exits on SIGTERM, which the guest's init relays from the agent channel
        long stopping = System.nanoTime();
        controlPlane.assign(assignment(id, List.of(), DesiredState.STOPPED));
        awaitReport(id, InstanceState.STOPPED);
        System.out.println("[it] stop by TERM over the agent channel: " + (System.nanoTime() - stopping) / 1_000_000
                + " ms");
        assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::exitCode).isEqualTo(143);
    }

    @Test
    void stopKillsAVmWhoseProcessIgnoresTermWithinTheGracePeriod() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"),
                DesiredState.RUNNING));
        awaitReport(id, InstanceState.RUNNING);
        long qemuPid = runtime.qemuPid(id).orElseThrow();

        long began = System.nanoTime();
        runtime.stop(id, Duration.ofSeconds(2));
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        System.out.println("[it] stop of a VM ignoring TERM (grace 2 s): " + tookMs + " ms");

        assertThat(tookMs).isBetween(2_000L, 2_000L + 5_000L);
        assertThat(ProcessHandle.of(qemuPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::exitCode)
                .isEqualTo(QemuRuntime.KILLED_EXIT_CODE);
    }
}
