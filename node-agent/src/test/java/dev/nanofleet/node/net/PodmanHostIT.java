package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.RecordingControlPlane;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent on a host where podman has run a container: podman's default network puts {@code 10.88.0.1/16} on the
 * bridge {@code cni-podman0} (what {@code podman run} creates), and a VPN-like network covers the first {@code auto}
 * candidate. The "host" is a network namespace this test makes with both, so the machine's own network stays as it
 * is; the agent's plumbing runs inside it ({@link NetworkHost#namespace}), its containers run with real runc.
 */
class PodmanHostIT {

    private static final String NODE = "podman-it";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;
    private static String ociRuntime;
    private static String namespace;

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private ExecutorService workers;
    private NodeNetwork network;
    private Reconciler reconciler;

    @BeforeAll
    static void makeAHostWithPodmansNetwork() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox", "ip", "iptables", "nsenter");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-podman-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        namespace = "nftest-podman-" + UUID.randomUUID().toString().substring(0, 8);
        ip("netns", "add", namespace);
        ip("-n", namespace, "link", "set", "dev", "lo", "up");
        // podman's default network, as `podman run` leaves it
        ip("-n", namespace, "link", "add", "name", "cni-podman0", "type", "bridge");
        ip("-n", namespace, "addr", "add", "10.88.0.1/16", "dev", "cni-podman0");
        ip("-n", namespace, "link", "set", "dev", "cni-podman0", "up");
        // something else the host routes, over the first candidate of `auto`
        ip("-n", namespace, "link", "add", "name", "vpn0", "type", "bridge");
        ip("-n", namespace, "addr", "add", "10.213.7.1/24", "dev", "vpn0");
        ip("-n", namespace, "link", "set", "dev", "vpn0", "up");
    }

    @AfterAll
    static void removeIt() {
        try (OciRegistry r = registry) {
            if (stateDir != null && ociRuntime != null && namespace != null) {
                NodeNetwork n = NodeNetwork.setUp(NODE, stateDir, "10.250.0.0/16", "127.0.0.1", NetworkHost
                        .namespace(namespace));
                RuncRuntime cleanup = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), n);
                for (RuntimeInstance i : cleanup.list()) {
                    cleanup.stop(i.id(), Duration.ZERO);
                    cleanup.remove(i.id());
                }
                n.detachAll();
                n.close();
            }
        } finally {
            if (namespace != null) {
                ip("netns", "del", namespace);
            }
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @AfterEach
    void stopAgent() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void the_default_pool_avoids_every_network_of_the_host_and_instances_run_there() throws Exception {
        network = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1", NetworkHost.namespace(
                namespace));
        workers = Executors.newFixedThreadPool(2);
        RuncRuntime runtime = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), network);
        reconciler = new Reconciler(controlPlane, List.of(runtime), new SkopeoImageStore(stateDir, false), workers,
                Clock.systemUTC(), Duration.ofSeconds(1));
        UUID id = UUID.randomUUID();
        controlPlane.assign(new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.SHARED, new Resources(200,
                32), List.of(), Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER, List.of()));

        InstanceStatusReport running = awaitReport(id, InstanceState.RUNNING);

        // 10.88/16 is podman's, 10.213.0.0/16 overlaps vpn0: the next candidate is free
        assertThat(network.pool()).hasToString("10.214.0.0/16");
        String address = running.network().address();
        assertThat(network.pool().contains(Ipv4Subnet.address(address))).as(address).isTrue();
        String page = Await.value(WAIT, "the instance's page from the host", () -> inNamespace(wget(address,
                DemoImage.PORT)));
        assertThat(page).isEqualTo(DemoImage.PAGE);
    }

    @Test
    void a_configured_pool_overlapping_podmans_network_refuses_to_start_naming_it() {
        assertThatThrownBy(() -> NodeNetwork.setUp(NODE, stateDir, "10.88.0.0/16", "127.0.0.1", NetworkHost
                .namespace(namespace))).isInstanceOf(PoolUnavailableException.class).hasMessage(
                        "nanofleet.node.network.pool 10.88.0.0/16 overlaps 10.88.0.0/16 (cni-podman0) on this host:"
                                + " instances there would be unreachable or cut the host off; set it to a free IPv4"
                                + " network or to auto");
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return controlPlane.awaitReport(reconciler, id, state, WAIT);
    }

    /**
     * busybox 1.35's {@code wget -T} crashes (SIGSEGV), so {@code timeout} bounds the attempt instead (as in
     * {@link TenantNetworkIT}).
     */
    private static List<String> wget(String host, int port) {
        return List.of("/bin/busybox", "sh", "-c", "/bin/busybox timeout 5 /bin/busybox wget -q -O - http://" + host
                + ":" + port + "/; exit $?");
    }

    private static String inNamespace(List<String> command) {
        List<String> entered = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace));
        entered.addAll(command);
        return ManagedProcess.run(Duration.ofSeconds(10), entered);
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ManagedProcess.run(Duration.ofSeconds(20), command);
    }
}
