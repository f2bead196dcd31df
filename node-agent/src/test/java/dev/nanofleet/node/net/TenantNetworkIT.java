package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.nanofleet.nodeapi.InstanceNetwork;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.PublishedPort;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.io.InputStream;
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
import org.junit.jupiter.api.Test;

/**
 * Tenant networks with real runc, ip and iptables: a tenant's containers reach each other, another tenant's do not
 * (neither directly, nor routed through the host, nor through the host's published ports), the node reaches the
 * instances and their published ports, and what the agent created goes away with the last instance.
 */
class TenantNetworkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NODE = "tenant-network-it";
    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;
    private static String ociRuntime;

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private ExecutorService workers;
    private NodeNetwork network;
    private RuncRuntime runtime;
    private Reconciler reconciler;

    @BeforeAll
    static void startRegistry() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox", "ip", "iptables");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-net-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
    }

    @AfterAll
    static void stopRegistry() {
        try (OciRegistry r = registry) {
            if (stateDir != null && ociRuntime != null) {
                NodeNetwork n = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "0.0.0.0");
                RuncRuntime cleanup = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), n);
                for (RuntimeInstance i : cleanup.list()) {
                    cleanup.stop(i.id(), Duration.ZERO);
                    cleanup.remove(i.id());
                }
                n.close();
            }
        } finally {
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @AfterEach
    void stopAgent() {
        workers.shutdownNow();
        network.close();
    }

    /** A fresh network, runtime and reconciler over the same state dir: what an agent restart gives. */
    private void agentStart() {
        if (workers != null) {
            workers.shutdownNow();
            network.close();
        }
        workers = Executors.newFixedThreadPool(4);
        network = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "0.0.0.0");
        runtime = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), network);
        reconciler = new Reconciler(controlPlane, List.of(runtime), new SkopeoImageStore(stateDir, false), workers,
                Clock.systemUTC(), Duration.ofSeconds(1));
    }

    private static Assignment assignment(UUID id, String tenant, List<String> command, List<PublishedPort> ports) {
        return new Assignment(id, UUID.randomUUID(), tenant, image, Isolation.SHARED, new Resources(200, 32), command,
                Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER, ports);
    }

    /**
     * busybox 1.35's {@code wget -T} crashes (SIGSEGV), so {@code timeout} bounds the attempt instead; under a shell,
     * because {@code timeout} execs the command and signals it, and PID 1 would ignore that signal.
     */
    private static List<String> wget(String host, int port) {
        return List.of("/bin/busybox", "sh", "-c", "/bin/busybox timeout 5 /bin/busybox wget -q -O - http://" + host
                + ":" + port + "/; exit $?");
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return controlPlane.awaitReport(reconciler, id, state, WAIT);
    }

    @Test
    void tenants_reach_their_own_instances_only_and_the_node_reaches_all() throws Exception {
        agentStart();
        UUID server = UUID.randomUUID();
        long began = System.nanoTime();
        controlPlane.assign(assignment(server, "tenant-a", List.of(), List.of(new PublishedPort(DemoImage.PORT))));
        InstanceNetwork net = awaitReport(server, InstanceState.RUNNING).network();
        System.out.println("[it] tenant A server RUNNING in " + (System.nanoTime() - began) / 1_000_000
                + " ms (pull included): " + net);

        assertThat(net).isNotNull();
        assertThat(network.pool().contains(Ipv4Subnet.address(net.address()))).as(net.address()).isTrue();
        assertThat(net.ports()).hasSize(1);
        assertThat(net.ports().get(0).containerPort()).isEqualTo(DemoImage.PORT);
        int hostPort = net.ports().get(0).hostPort();
        assertThat(hostPort).isPositive();
        String bridgeA = network.bridgeName("tenant-a");
        assertThat(bridgeA).hasSizeLessThanOrEqualTo(15);
        assertThat(Path.of("/sys/class/net", bridgeA)).exists();

        // the node reaches the instance's address and its published port
        Await.untilAsserted(WAIT, "the node reaches the instance", () -> assertThat(httpGet(net.address(),
                DemoImage.PORT)).contains(DemoImage.PAGE.strip()));
        assertThat(httpGet("127.0.0.1", hostPort)).contains(DemoImage.PAGE.strip());

        UUID sameTenant = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        UUID otherViaHost = UUID.randomUUID();
        controlPlane.assign(assignment(sameTenant, "tenant-a", wget(net.address(), DemoImage.PORT), List.of()));
        controlPlane.assign(assignment(otherTenant, "tenant-b", wget(net.address(), DemoImage.PORT), List.of()));
        InstanceStatusReport same = awaitReport(sameTenant, InstanceState.EXITED);
        InstanceStatusReport other = awaitReport(otherTenant, InstanceState.EXITED);
        String gatewayB = network.attachment(otherTenant).orElseThrow().gateway();
        // B through the host: the node's published port (listening on every address) on B's own gateway address
        long inputDropsBefore = drops(WallRules.INPUT_CHAIN, "*");
        controlPlane.assign(assignment(otherViaHost, "tenant-b", wget(gatewayB, hostPort), List.of()));
        InstanceStatusReport viaHost = awaitReport(otherViaHost, InstanceState.EXITED);
        assertThat(drops(WallRules.INPUT_CHAIN, "*")).as("dropped by the INPUT wall").isGreaterThan(inputDropsBefore);

        System.out.println("[it] wget from tenant A: exit " + same.exitCode() + "; from tenant B: exit "
                + other.exitCode() + "; from B to the published port via its gateway " + gatewayB + ": exit "
                + viaHost.exitCode());
        assertThat(same.exitCode()).as("same tenant reaches the server; output: %s", Files2.tail(runtime.outputLog(
                sameTenant), 3)).isZero();
        assertThat(Files2.tail(runtime.outputLog(sameTenant), 1)).isEqualTo(DemoImage.PAGE.strip());
        assertThat(other.exitCode()).as("other tenant is walled off").isNotZero();
        assertThat(viaHost.exitCode()).as("other tenant cannot use the host's published port").isNotZero();

        String bridgeB = network.bridgeName("tenant-b");
        assertThat(bridgeB).isNotEqualTo(bridgeA);
        assertThat(network.attachment(otherTenant).orElseThrow().address()).doesNotStartWith(net.address()
                .substring(0, net.address().lastIndexOf('.') + 1));

        // even if the host forwarded between the bridges, the FORWARD wall drops B's packets to A
        long dropsBefore = drops(WallRules.FORWARD_CHAIN, NetNames.BRIDGE_WILDCARD);
        setForwarding(bridgeA, "1");
        setForwarding(bridgeB, "1");
        UUID routed = UUID.randomUUID();
        try {
            controlPlane.assign(assignment(routed, "tenant-b", wget(net.address(), DemoImage.PORT), List.of()));
            InstanceStatusReport routedReport = awaitReport(routed, InstanceState.EXITED);
            assertThat(routedReport.exitCode()).as("routed B to A").isNotZero();
        } finally {
            setForwarding(bridgeA, "0");
            setForwarding(bridgeB, "0");
        }
        long dropsAfter = drops(WallRules.FORWARD_CHAIN, NetNames.BRIDGE_WILDCARD);
        System.out.println("[it] with forwarding on the bridges, B's packets dropped by the FORWARD wall: "
                + (dropsAfter - dropsBefore));
        assertThat(dropsAfter).isGreaterThan(dropsBefore);

        // an agent restart keeps the address and the node port, and forwards again
        agentStart();
        InstanceStatusReport adopted = awaitReport(server, InstanceState.RUNNING);
        assertThat(adopted.network()).isEqualTo(net);
        assertThat(httpGet("127.0.0.1", hostPort)).contains(DemoImage.PAGE.strip());

        // removal deletes the namespace and veth of each instance, the last instance of a tenant its bridge
        String vethServer = network.attachment(server).orElseThrow().device();
        String netnsServer = network.attachment(server).orElseThrow().netns();
        controlPlane.unassign(sameTenant);
        Await.until(WAIT, "the A client removed", () -> {
            reconciler.reconcile();
            return !Files.exists(runtime.instanceDir(sameTenant));
        });
        assertThat(Path.of("/sys/class/net", bridgeA)).exists();
        for (UUID id : List.of(server, otherTenant, otherViaHost, routed)) {
            controlPlane.unassign(id);
        }
        Await.until(WAIT, "all removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty();
        });
        assertThat(Path.of("/sys/class/net", vethServer)).doesNotExist();
        assertThat(Path.of("/run/netns", netnsServer)).doesNotExist();
        assertThat(Path.of("/sys/class/net", bridgeA)).doesNotExist();
        assertThat(Path.of("/sys/class/net", bridgeB)).doesNotExist();
        assertThat(canConnect("127.0.0.1", hostPort)).as("the published port is closed").isFalse();
    }

    @Test
    void a_container_has_no_capability_to_change_its_network() {
        agentStart();
        UUID id = UUID.randomUUID();
        controlPlane.assign(assignment(id, "tenant-c", List.of("/bin/busybox", "sh", "-c",
                "grep CapEff /proc/self/status; /bin/busybox ip addr add 10.88.255.9/24 dev eth0"), List.of()));
        InstanceStatusReport exited = awaitReport(id, InstanceState.EXITED);
        String output = Files2.tail(runtime.outputLog(id), 3);
        System.out.println("[it] address change attempt inside a container: exit " + exited.exitCode() + ", " + output
                .replace('\n', ' '));
        assertThat(exited.exitCode()).isNotZero();
        long capEff = Long.parseLong(output.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow()
                .substring("CapEff:".length()).strip(), 16);
        assertThat(capEff & (1L << 12)).as("CAP_NET_ADMIN").isZero();
        assertThat(capEff & (1L << 13)).as("CAP_NET_RAW").isZero();
        controlPlane.unassign(id);
        Await.until(WAIT, "removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty();
        });
        assertThat(Path.of("/sys/class/net", network.bridgeName("tenant-c"))).doesNotExist();
    }

    private static String httpGet(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(
                    StandardCharsets.US_ASCII));
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static boolean canConnect(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void setForwarding(String bridge, String value) throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", bridge, "forwarding"), value);
    }

    /** Packets a wall chain's second rule dropped (FORWARD: routed from a tenant bridge; INPUT: new to the host). */
    /**
     * The packets the chain's DROP rule for traffic from a tenant bridge to {@code out} ({@code *}: any) dropped, found
     * by what it matches rather than its place: other rules (the private networks') come before it.
     */
    private static long drops(String chain, String out) {
        String listing = ManagedProcess.run(Duration.ofSeconds(30), List.of("iptables", "-w", "5", "-L", chain, "-v",
                "-x", "-n"));
        // pkts bytes target prot opt in out source destination
        return listing.lines().map(l -> l.strip().split("\\s+")).filter(f -> f.length == 9 && f[2].equals("DROP")
                && f[5].equals(NetNames.BRIDGE_WILDCARD) && f[6].equals(out)).findFirst()
                .map(f -> Long.parseLong(f[0])).orElseThrow(() -> new AssertionError("no DROP rule from "
                        + NetNames.BRIDGE_WILDCARD + " to " + out + " in\n" + listing));
    }
}
