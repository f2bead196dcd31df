package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.Reconciler;
import dev.nanofleet.node.host.Exec;
import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.host.HostFacts;
import dev.nanofleet.node.image.SkopeoImageStore;
import dev.nanofleet.node.runtime.OciRuntimeDetector;
import dev.nanofleet.node.runtime.RuncRuntime;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.node.testing.RecordingControlPlane;
import dev.nanofleet.node.vm.Accelerator;
import dev.nanofleet.node.vm.GuestKernel;
import dev.nanofleet.node.vm.QemuRuntime;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.EgressPolicy.Destination;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Egress with real runc, ip and iptables. The node is a network namespace this test makes (the agent's plumbing runs
 * inside it, {@link NetworkHost#namespace}), joined by a veth pair to a second namespace, "outside": the node's uplink
 * is {@code 192.0.2.1/24} with its default route via outside's {@code 192.0.2.2}, and outside holds "internet"
 * addresses on its loopback ({@code 198.51.100.10}, and {@code 169.254.169.254} where clouds keep metadata), with HTTP
 * servers on ports 8080 and 8081. The node itself serves on {@code 192.0.2.1:8082}. The machine's own network, its
 * forwarding and its iptables are not touched.
 */
class EgressIT {

    private static final String NODE = "egress-it";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String INTERNET = "198.51.100.10";
    private static final String METADATA = "169.254.169.254";
    private static final String NODE_ADDRESS = "192.0.2.1";
    private static final String NEIGHBOUR = "192.0.2.2";
    private static final int PORT = 8080;
    private static final int OTHER_PORT = 8081;
    private static final int NODE_PORT = 8082;
    private static final String PAGE = "outside answers";

    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;
    private static String ociRuntime;
    private static String node;
    private static String outside;
    private static final List<ManagedProcess> servers = new ArrayList<>();
    /** The VM runtime of the VM case, for the clean-up; null when it did not run. */
    private static QemuRuntime vmRuntime;

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private ExecutorService workers;
    private NodeNetwork network;
    private RuncRuntime runtime;
    private Reconciler reconciler;

    @BeforeAll
    static void makeANodeAndTheOutside() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox", "ip", "iptables", "iptables-restore",
                "nsenter");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-egress-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        node = "nftest-egress-node-" + suffix;
        outside = "nftest-egress-out-" + suffix;
        ip("netns", "add", node);
        ip("netns", "add", outside);
        ip("-n", node, "link", "set", "dev", "lo", "up");
        ip("-n", outside, "link", "set", "dev", "lo", "up");
        ip("-n", node, "link", "add", "uplink0", "type", "veth", "peer", "name", "wan0", "netns", outside);
        ip("-n", node, "addr", "add", NODE_ADDRESS + "/24", "dev", "uplink0");
        ip("-n", node, "link", "set", "dev", "uplink0", "up");
        ip("-n", node, "route", "add", "default", "via", NEIGHBOUR);
        ip("-n", outside, "addr", "add", NEIGHBOUR + "/24", "dev", "wan0");
        ip("-n", outside, "link", "set", "dev", "wan0", "up");
        ip("-n", outside, "addr", "add", INTERNET + "/32", "dev", "lo");
        ip("-n", outside, "addr", "add", METADATA + "/32", "dev", "lo");
        Path www = stateDir.resolve("www");
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), PAGE + "\n");
        servers.add(server(outside, "0.0.0.0:" + PORT, www));
        servers.add(server(outside, "0.0.0.0:" + OTHER_PORT, www));
        servers.add(server(node, NODE_ADDRESS + ":" + NODE_PORT, www));
        // every server answers from its own namespace: what the instances fail to reach is walled, not missing
        for (String target : List.of(INTERNET + ":" + PORT, INTERNET + ":" + OTHER_PORT, METADATA + ":" + PORT,
                NEIGHBOUR + ":" + PORT, NODE_ADDRESS + ":" + NODE_PORT)) {
            Await.untilAsserted(Duration.ofSeconds(20), "the node reaches " + target, () -> assertThat(inNamespace(
                    node, "busybox", "wget", "-q", "-O", "-", "http://" + target + "/")).contains(PAGE));
        }
    }

    @AfterAll
    static void removeIt() {
        try (OciRegistry r = registry) {
            servers.forEach(ManagedProcess::close);
            if (stateDir != null && ociRuntime != null && node != null) {
                NodeNetwork n = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1", NetworkHost
                        .namespace(node));
                RuncRuntime cleanup = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), n);
                for (RuntimeInstance i : cleanup.list()) {
                    cleanup.stop(i.id(), Duration.ZERO);
                    cleanup.remove(i.id());
                }
                if (vmRuntime != null) {
                    for (RuntimeInstance i : vmRuntime.list()) {
                        vmRuntime.stop(i.id(), Duration.ZERO);
                        vmRuntime.remove(i.id());
                    }
                }
                n.detachAll();
                n.close();
            }
        } finally {
            for (String ns : new String[]{node, outside}) {
                if (ns != null) {
                    ip("netns", "del", ns);
                }
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

    /** A fresh network, runtime and reconciler over the same state dir: what an agent restart gives. */
    private void agentStart() {
        stopAgent();
        workers = Executors.newFixedThreadPool(4);
        network = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1", NetworkHost.namespace(
                node));
        runtime = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), network);
        reconciler = new Reconciler(controlPlane, List.of(runtime), new SkopeoImageStore(stateDir, false), workers,
                Clock.systemUTC(), Duration.ofSeconds(1));
    }

    @Test
    void instances_reach_the_outside_as_their_policy_says_and_never_the_platform_the_node_or_metadata() {
        agentStart();
        EgressPolicy allowList = EgressPolicy.allowList(List.of(new Destination("198.51.100.0/24", List.of(PORT))));
        EgressPolicy everythingListed = EgressPolicy.allowList(List.of(new Destination("0.0.0.0/0", List.of())));
        Map<String, Attempt> attempts = new LinkedHashMap<>();
        attempts.put("allow-all to the internet", new Attempt(EgressPolicy.ALLOW_ALL, INTERNET, PORT, true));
        attempts.put("deny-all to the internet", new Attempt(EgressPolicy.DENY_ALL, INTERNET, PORT, false));
        attempts.put("allow-list to its port", new Attempt(allowList, INTERNET, PORT, true));
        attempts.put("allow-list to another port", new Attempt(allowList, INTERNET, OTHER_PORT, false));
        attempts.put("allow-all to metadata", new Attempt(EgressPolicy.ALLOW_ALL, METADATA, PORT, false));
        attempts.put("allow-list of 0.0.0.0/0 to metadata", new Attempt(everythingListed, METADATA, PORT, false));
        attempts.put("allow-all to the node's address", new Attempt(EgressPolicy.ALLOW_ALL, NODE_ADDRESS, NODE_PORT,
                false));
        attempts.put("allow-all to the node's network", new Attempt(EgressPolicy.ALLOW_ALL, NEIGHBOUR, PORT, false));
        Map<String, UUID> ids = new LinkedHashMap<>();
        long began = System.nanoTime();
        attempts.forEach((name, a) -> {
            UUID id = UUID.randomUUID();
            ids.put(name, id);
            controlPlane.assign(assignment(id, "acme", wget(a.host(), a.port()), a.policy()));
        });

        Map<String, Integer> exits = new LinkedHashMap<>();
        ids.forEach((name, id) -> exits.put(name, awaitReport(id, InstanceState.EXITED).exitCode()));
        System.out.println("[it] egress attempts in " + (System.nanoTime() - began) / 1_000_000 + " ms: " + exits);

        attempts.forEach((name, a) -> {
            String output = Files2.tail(runtime.outputLog(ids.get(name)), 3);
            if (a.reaches()) {
                assertThat(exits.get(name)).as("%s; output: %s", name, output).isZero();
                assertThat(output).as(name).contains(PAGE);
            } else {
                assertThat(exits.get(name)).as("%s; output: %s", name, output).isNotZero();
                assertThat(output).as(name).doesNotContain(PAGE);
            }
        });
        assertThat(chains()).as("one chain per instance").hasSize(ids.size());

        // the rules go with the instances
        ids.values().forEach(controlPlane::unassign);
        Await.until(WAIT, "all removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty();
        });
        assertThat(chains()).isEmpty();
        assertThat(iptables("-S", EgressPlan.CHAIN)).doesNotContain("-j " + EgressPlan.INSTANCE_CHAIN_PREFIX);
        assertThat(iptables("-S", EgressPlan.ANTISPOOF_CHAIN)).doesNotContain("--comment "
                + EgressPlan.INSTANCE_CHAIN_PREFIX);
    }

    /**
     * A root VM guest can give its NIC any address; a container cannot (no CAP_NET_ADMIN, see {@link TenantNetworkIT}),
     * so the test does it for one from outside, in the container's network namespace: the same packets come in on the
     * same port of the bridge. With its neighbour's address it gets neither the neighbour's egress nor its tenant's
     * other instances.
     */
    @Test
    void an_instance_that_takes_a_neighbours_address_is_refused_where_the_neighbour_is_allowed() {
        agentStart();
        UUID neighbour = UUID.randomUUID();
        UUID spoofer = UUID.randomUUID();
        UUID server = UUID.randomUUID();
        // the demo image's httpd keeps each running; the attempts run in their namespaces
        controlPlane.assign(assignment(neighbour, "umbrella", List.of(), EgressPolicy.ALLOW_ALL));
        controlPlane.assign(assignment(spoofer, "umbrella", List.of(), EgressPolicy.DENY_ALL));
        controlPlane.assign(assignment(server, "umbrella", List.of(), EgressPolicy.DENY_ALL));
        for (UUID id : List.of(neighbour, spoofer, server)) {
            awaitReport(id, InstanceState.RUNNING);
        }
        NodeNetwork.Attachment n = network.attachment(neighbour).orElseThrow();
        NodeNetwork.Attachment s = network.attachment(spoofer).orElseThrow();
        String internet = INTERNET + ":" + PORT;
        String sameTenant = network.attachment(server).orElseThrow().address() + ":" + DemoImage.PORT;

        assertThat(fetch(n.netns(), internet)).as("the neighbour, allow-all, to the internet").isTrue();
        assertThat(fetch(s.netns(), internet)).as("the spoofer as itself, deny-all, to the internet").isFalse();
        assertThat(fetch(s.netns(), sameTenant)).as("the spoofer as itself to its tenant's server").isTrue();

        readdress(s, n.address());
        long dropsBefore = antiSpoofDrops();
        boolean egress = fetch(s.netns(), internet);
        boolean bridged = fetch(s.netns(), sameTenant);
        long dropped = antiSpoofDrops() - dropsBefore;
        System.out.println("[it] spoofing " + n.address() + " from " + s.address() + ": internet reached " + egress
                + ", same-tenant server reached " + bridged + ", packets dropped for their source " + dropped);
        assertThat(egress).as("with the neighbour's address, through the neighbour's egress").isFalse();
        assertThat(bridged).as("with the neighbour's address, to its tenant's server").isFalse();
        assertThat(dropped).isPositive();

        // its own address again: what it may do, it does
        readdress(s, s.address());
        assertThat(fetch(s.netns(), sameTenant)).as("the spoofer as itself again").isTrue();

        for (UUID id : List.of(neighbour, spoofer, server)) {
            controlPlane.unassign(id);
        }
        Await.until(WAIT, "all removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty();
        });
        assertThat(iptables("-S", EgressPlan.ANTISPOOF_CHAIN)).doesNotContain("--comment "
                + EgressPlan.agentChainPrefix(stateDir));
    }

    /**
     * One VM (a boot under TCG is slow): its tap is on the same bridge, keyed the same way; its QEMU runs in the node's
     * namespace, where its tap is.
     */
    @Test
    @EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForVms")
    void a_vm_reaches_only_what_its_allow_list_names() {
        GuestKernel kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"), GuestKernel.PURPOSE_BUILT);
        agentStart();
        QemuRuntime vms = vmRuntime = new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(),
                HostTools.get("busybox"),
                kernel, Accelerator.choose("auto"), stateDir, Duration.ofSeconds(120), network);
        Reconciler vmReconciler = new Reconciler(controlPlane, List.of(runtime, vms), new SkopeoImageStore(stateDir,
                false), workers, Clock.systemUTC(), Duration.ofSeconds(1));
        UUID id = UUID.randomUUID();
        String attempt = "/bin/busybox timeout 5 /bin/busybox wget -q -O - http://%s/ >/dev/null 2>&1; echo %s=$?; ";
        controlPlane.assign(new Assignment(id, UUID.randomUUID(), "acme", image, Isolation.HARDWARE, new Resources(200,
                64),
                List.of("/bin/busybox", "sh", "-c", attempt.formatted(INTERNET + ":" + PORT, "allowed")
                        + attempt.formatted(INTERNET + ":" + OTHER_PORT, "other_port") + attempt.formatted(METADATA
                                + ":" + PORT, "metadata")),
                Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER,
                List.of()).withEgress(
                        EgressPolicy.allowList(List.of(new Destination("198.51.100.0/24", List.of(
                                PORT))))));
        long began = System.nanoTime();

        InstanceStatusReport exited = controlPlane.awaitReport(vmReconciler, id, InstanceState.EXITED, Duration
                .ofSeconds(240));

        String output = Files2.tail(vms.outputLog(id), 5);
        System.out.println("[it] VM egress in " + (System.nanoTime() - began) / 1_000_000 + " ms (boot included): "
                + output.replace('\n', ' '));
        assertThat(exited.exitCode()).as(output).isZero();
        assertThat(output).contains("allowed=0").containsPattern("other_port=[1-9]").containsPattern(
                "metadata=[1-9]");
        controlPlane.unassign(id);
        Await.until(WAIT, "the VM removed", () -> {
            vmReconciler.reconcile();
            return vms.list().isEmpty();
        });
        assertThat(chains()).isEmpty();
    }

    @Test
    void an_agent_restart_rebuilds_the_rules_of_running_instances_and_removes_those_of_instances_it_no_longer_has() {
        agentStart();
        UUID running = UUID.randomUUID();
        controlPlane.assign(assignment(running, "initech", List.of(), EgressPolicy.ALLOW_ALL));
        awaitReport(running, InstanceState.RUNNING);
        String chain = EgressPlan.instanceChain(stateDir, running);
        assertThat(chains()).containsExactly(chain);

        // while the agent is away: its rules are flushed, and a chain of an instance it never had is left behind
        stopAgent();
        String stale = EgressPlan.instanceChain(stateDir, UUID.randomUUID());
        NodeNetwork.Attachment a = network.attachment(running).orElseThrow();
        List<String> dispatch = new ArrayList<>(WallRules.args(EgressPlan.dispatch(chain, a.address(), a.bridge(), a
                .device())));
        dispatch.set(0, "-D");
        iptables(dispatch.toArray(String[]::new));
        iptables("-F", chain);
        iptables("-X", chain);
        iptables("-N", stale);
        iptables("-A", EgressPlan.CHAIN, "-s", "10.213.9.9/32", "-j", stale);

        agentStart();

        assertThat(chains()).containsExactly(chain);
        assertThat(iptables("-S", chain)).contains("-A " + chain + " -j ACCEPT");
        assertThat(iptables("-S", EgressPlan.CHAIN)).contains("-j " + chain).doesNotContain(stale);
        assertThat(iptables("-S", EgressPlan.ANTISPOOF_CHAIN).lines().filter(l -> l.contains("--comment " + chain)))
                .as("one anti-spoofing rule, not one per agent start").hasSize(1);
        controlPlane.unassign(running);
        Await.until(WAIT, "removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty();
        });
        assertThat(chains()).isEmpty();
    }

    /** Whether an HTTP GET from the namespace gets the page, within 5 s. */
    private static boolean fetch(String netns, String target) {
        Exec.Result r = Exec.run(List.of("nsenter", "--net=/run/netns/" + netns, "busybox", "timeout", "5", "busybox",
                "wget", "-q", "-O", "-", "http://" + target + "/"), Duration.ofSeconds(20));
        return r.ok() && !r.stdout().isBlank();
    }

    /** Gives the container's {@code eth0} another address (and its default route back). */
    private static void readdress(NodeNetwork.Attachment a, String address) {
        ip("-n", a.netns(), "addr", "flush", "dev", "eth0");
        ip("-n", a.netns(), "addr", "add", address + "/" + a.prefix(), "dev", "eth0");
        ip("-n", a.netns(), "route", "add", "default", "via", a.gateway());
    }

    /** Packets the anti-spoofing rules dropped so far. */
    private static long antiSpoofDrops() {
        return iptables("-L", EgressPlan.ANTISPOOF_CHAIN, "-v", "-x", "-n").lines().map(l -> l.strip().split("\\s+"))
                .filter(f -> f.length > 2 && f[2].equals("DROP")).mapToLong(f -> Long.parseLong(f[0])).sum();
    }

    private record Attempt(EgressPolicy policy, String host, int port, boolean reaches) {
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return controlPlane.awaitReport(reconciler, id, state, WAIT);
    }

    private static Assignment assignment(UUID id, String tenant, List<String> command, EgressPolicy policy) {
        return new Assignment(id, UUID.randomUUID(), tenant, image, Isolation.SHARED, new Resources(200, 32), command,
                Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER, List.of()).withEgress(policy);
    }

    /** The instance chains of this test's agent in the node's filter table. */
    private static List<String> chains() {
        String prefix = "-N " + EgressPlan.agentChainPrefix(stateDir);
        return iptables("-S").lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(3).strip()).toList();
    }

    /**
     * busybox 1.35's {@code wget -T} crashes (SIGSEGV), so {@code timeout} bounds the attempt instead (as in
     * {@link TenantNetworkIT}).
     */
    private static List<String> wget(String host, int port) {
        return List.of("/bin/busybox", "sh", "-c", "/bin/busybox timeout 5 /bin/busybox wget -q -O - http://" + host
                + ":" + port + "/; exit $?");
    }

    private static ManagedProcess server(String namespace, String listen, Path www) {
        return ManagedProcess.builder("httpd-" + listen, "nsenter", "--net=/run/netns/" + namespace, "busybox",
                "httpd", "-f", "-p", listen, "-h", www.toString()).log(
                        stateDir.resolve("httpd-" + listen.replace(
                                ':', '-') + ".log"))
                .start();
    }

    private static String iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(args));
        return inNamespace(node, command.toArray(String[]::new));
    }

    private static String inNamespace(String namespace, String... command) {
        List<String> entered = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace));
        entered.addAll(List.of(command));
        return ManagedProcess.run(Duration.ofSeconds(10), entered);
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ManagedProcess.run(Duration.ofSeconds(20), command);
    }
}
