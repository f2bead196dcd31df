package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.net.NodeNetwork;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.RecordingControlPlane;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.PublishedPort;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    private static String ociRuntime;

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private ExecutorService workers;
    private QemuRuntime runtime;
    private RuncRuntime containers;
    private NodeNetwork network;
    private Reconciler reconciler;

    @BeforeAll
    static void setUp() throws IOException {
        NodeHost.require("qemu-system-x86_64", "busybox", "skopeo", "umoci", "docker-registry", "apt-get",
                "dpkg-deb", "runc", "ip", "iptables");
        long began = System.nanoTime();
        kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"), GuestKernel.PURPOSE_BUILT);
        System.out.println("[it] guest kernel " + kernel.release() + " ready in " + (System.nanoTime() - began)
                / 1_000_000 + " ms (fetched only when not cached)");
        accel = Accelerator.choose("auto");
        System.out.println("[it] accelerator: " + accel.accelerator().qemuName() + " (" + accel.reason() + ")");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-vm-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
    }

    @AfterAll
    static void tearDown() {
        try (OciRegistry r = registry) {
            if (stateDir != null && kernel != null && ociRuntime != null) {
                NodeNetwork n = network();
                QemuRuntime cleanup = runtime(n);
                for (RuntimeInstance i : cleanup.list()) {
                    cleanup.stop(i.id(), Duration.ZERO);
                    cleanup.remove(i.id());
                }
                RuncRuntime runc = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), n);
                for (RuntimeInstance i : runc.list()) {
                    runc.stop(i.id(), Duration.ZERO);
                    runc.remove(i.id());
                }
                n.close();
            }
        } finally {
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    private static QemuRuntime runtime(NodeNetwork network) {
        return new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(), HostTools.get("busybox"), kernel, accel,
                stateDir, Duration.ofSeconds(120), network);
    }

    private static NodeNetwork network() {
        return NodeNetwork.setUp("hardware-it", stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1");
    }

    @BeforeEach
    void newAgent() {
        agentRestart();
    }

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
        network.close();
    }

    /** A fresh runtime and reconciler over the same state dir: what an agent restart gives. */
    private void agentRestart() {
        if (workers != null) {
            workers.shutdownNow();
            network.close();
        }
        workers = Executors.newFixedThreadPool(4);
        network = network();
        runtime = runtime(network);
        // runc containers on the same node network: a tenant's containers and VMs share its bridge
        containers = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), network);
        reconciler = new Reconciler(controlPlane, List.of(runtime, containers), new SkopeoImageStore(stateDir, false),
                workers, Clock.systemUTC(), Duration.ofSeconds(3));
    }

    private static Assignment assignment(UUID id, List<String> command, DesiredState desired) {
        return new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.HARDWARE, new Resources(500, 64),
                command, Map.of("GREETING", "hello-from-vm"), desired, RestartPolicy.NEVER, List.of(new PublishedPort(
                        DemoImage.PORT)));
    }

    /** A runc container of {@code tenant} fetching {@code url} (busybox's timeout bounds it; see TenantNetworkIT). */
    private static Assignment fetcher(UUID id, String tenant, String url) {
        return new Assignment(id, UUID.randomUUID(), tenant, image, Isolation.SHARED, new Resources(200, 32), List.of(
                "/bin/busybox", "sh", "-c", "/bin/busybox timeout 5 /bin/busybox wget -q -O - " + url + "; exit $?"),
                Map.of(), DesiredState.RUNNING);
    }

    private static String httpGet(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(
                    StandardCharsets.US_ASCII));
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return controlPlane.awaitReport(reconciler, id, state, WAIT);
    }

    @Test
    void a_vm_runs_the_command_its_output_is_captured_and_its_exit_code_propagates() {
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
        assertThat(Files2.tail(runtime.outputLog(id), 2)).isEqualTo("hello-from-vm\n/www");
        assertThat(runtime.vmAlive(id)).isFalse();

        controlPlane.unassign(id);
        Await.until(WAIT, "removed", () -> {
            reconciler.reconcile();
            return !Files.exists(runtime.instanceDir(id));
        });
    }

    @Test
    void the_images_own_command_runs_and_a_restarted_agent_adopts_the_vm_and_stops_it() throws IOException {
        // the demo image's entrypoint (busybox httpd in the foreground) under its own env and working dir
        UUID id = UUID.randomUUID();
        long began = System.nanoTime();
        controlPlane.assign(assignment(id, List.of(), DesiredState.RUNNING));
        InstanceNetwork net = awaitReport(id, InstanceState.RUNNING).network();
        long qemuPid = runtime.qemuPid(id).orElseThrow();
        System.out.println("[it] assignment to RUNNING in a VM (pull, unpack, boot): " + (System.nanoTime() - began)
                / 1_000_000 + " ms; QEMU RSS " + QemuRuntime.rssKiB(qemuPid).orElse(-1) / 1024 + " MiB for a "
                + QemuRuntime.vmMemoryMiB(kernel, 64) + " MiB VM; network " + net);

        // the VM's httpd: from the node on its published port, from a container of its tenant, not from another's
        assertThat(net).isNotNull();
        int hostPort = net.ports().get(0).hostPort();
        long reachable = System.nanoTime();
        Await.untilAsserted(WAIT, "the VM's httpd answers on the published port", () -> assertThat(httpGet(
                "127.0.0.1", hostPort)).contains(DemoImage.PAGE.strip()));
        System.out.println("[it] VM httpd reachable on the published port " + (System.nanoTime() - reachable)
                / 1_000_000 + " ms after RUNNING");
        UUID sameTenant = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        String url = "http://" + net.address() + ":" + DemoImage.PORT + "/";
        controlPlane.assign(fetcher(sameTenant, "acme", url));
        controlPlane.assign(fetcher(otherTenant, "globex", url));
        InstanceStatusReport same = awaitReport(sameTenant, InstanceState.EXITED);
        InstanceStatusReport other = awaitReport(otherTenant, InstanceState.EXITED);
        System.out.println("[it] wget of the VM from a container of its tenant: exit " + same.exitCode()
                + "; of another tenant: exit " + other.exitCode());
        assertThat(same.exitCode()).isZero();
        assertThat(Files2.tail(containers.outputLog(sameTenant), 1)).isEqualTo(DemoImage.PAGE.strip());
        assertThat(other.exitCode()).isNotZero();
        controlPlane.unassign(sameTenant);
        controlPlane.unassign(otherTenant);

        agentRestart();
        reconciler.reconcile();
        assertThat(reconciler.stateOf(id)).isEqualTo(InstanceState.RUNNING);
        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::status).isEqualTo(Status.RUNNING);
        assertThat(httpGet("127.0.0.1", hostPort)).as("forwarding resumes after an agent restart").contains(
                DemoImage.PAGE.strip());

        // httpd exits on SIGTERM, which the guest's init relays from the agent channel
        long stopping = System.nanoTime();
        controlPlane.assign(assignment(id, List.of(), DesiredState.STOPPED));
        awaitReport(id, InstanceState.STOPPED);
        System.out.println("[it] stop by TERM over the agent channel: " + (System.nanoTime() - stopping) / 1_000_000
                + " ms");
        // ended (a zombie counts as ended for the agent); reaped by the first agent's watcher a moment later
        Await.until(Duration.ofSeconds(10), "QEMU reaped", () -> !ProcessHandle.of(qemuPid).map(
                ProcessHandle::isAlive).orElse(false));
        assertThat(runtime.state(id)).get().extracting(RuntimeInstance::exitCode).isEqualTo(143);
    }

    @Test
    void stop_kills_a_vm_whose_process_ignores_term_within_the_grace_period() {
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"),
                DesiredState.RUNNING));
        awaitReport(id, InstanceState.RUNNING);
        long qemuPid = runtime.qemuPid(id).orElseThrow();
        // RUNNING means launched: the shell sets its trap a moment later (it starts through unshare and setpriv)
        Await.until(WAIT, "the trap is set", () -> Files2.tail(runtime.outputLog(id), 1).contains("ready"));

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
