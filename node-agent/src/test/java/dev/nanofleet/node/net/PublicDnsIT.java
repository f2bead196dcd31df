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
import dev.nanofleet.node.vm.Accelerator;
import dev.nanofleet.node.vm.GuestKernel;
import dev.nanofleet.node.vm.QemuRuntime;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.InstanceStatusReport;
import dev.nanofleet.nodeapi.RestartPolicy;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.OciRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Public names through the bridges' DNS, with real runc, ip and iptables on the host's own network stack (the DNS
 * binds where the JVM runs, as the agent's does): the test's own tiny resolver on {@code 127.0.0.1} is the upstream and
 * knows {@code svc.example.test} as {@value #OUTSIDE}, an address on the loopback of an "outside" namespace the test
 * makes, joined to the host by a veth pair, with an HTTP server there. The route to it is added after the agent chose
 * its walls, as a route to the internet would be there anyway. Only the test's own devices, namespace and route are
 * added to the host, and removed.
 */
class PublicDnsIT {

    private static final String NODE = "public-dns-it";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String NAME = "svc.example.test";
    private static final String OUTSIDE = "198.51.100.77";
    private static final String LINK_HOST = "203.0.113.201";
    private static final String LINK_OUTSIDE = "203.0.113.202";
    private static final int PORT = 8080;
    private static final String PAGE = "the outside by name";

    private static OciRegistry registry;
    private static String image;
    private static Path stateDir;
    private static String ociRuntime;
    private static String outside;
    private static String veth;
    private static ManagedProcess httpd;
    private static DatagramSocket upstream;
    /** The VM runtime of the VM case, for the clean-up; null when it did not run. */
    private static QemuRuntime vmRuntime;
    /** Every name the upstream was asked, in order. */
    private static final List<String> asked = new CopyOnWriteArrayList<>();

    private final RecordingControlPlane controlPlane = new RecordingControlPlane();
    private ExecutorService workers;
    private NodeNetwork network;
    private RuncRuntime runtime;
    private Reconciler reconciler;

    @BeforeAll
    static void startTheOutsideAndAnUpstream() throws IOException {
        NodeHost.require("runc", "skopeo", "umoci", "docker-registry", "busybox", "ip", "iptables", "iptables-restore",
                "nsenter");
        registry = OciRegistry.startEphemeral();
        image = DemoImage.pushTo(registry);
        stateDir = Files.createTempDirectory("nanofleet-dns-it");
        ociRuntime = OciRuntimeDetector.detect(OciRuntimeDetector.DEFAULT_CANDIDATES, stateDir.resolve("probe"))
                .binary();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        outside = "nftest-dns-out-" + suffix;
        veth = "nftdns" + suffix;
        ip("netns", "add", outside);
        ip("-n", outside, "link", "set", "dev", "lo", "up");
        ip("-n", outside, "addr", "add", OUTSIDE + "/32", "dev", "lo");
        Path www = stateDir.resolve("www");
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), PAGE + "\n");
        httpd = ManagedProcess.builder("httpd-outside", "nsenter", "--net=/run/netns/" + outside, "busybox", "httpd",
                "-f", "-p", "0.0.0.0:" + PORT, "-h", www.toString()).log(stateDir.resolve("httpd.log")).start();
        upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(PublicDnsIT::resolve, "test-upstream");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void removeIt() {
        try (OciRegistry r = registry) {
            if (upstream != null) {
                upstream.close();
            }
            if (httpd != null) {
                httpd.close();
            }
            if (stateDir != null && ociRuntime != null) {
                NodeNetwork n = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1");
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
            disconnectTheOutside();
            if (outside != null) {
                ip("netns", "del", outside);
            }
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @Test
    void an_allowed_instance_reaches_a_public_name_a_deny_all_one_is_refused_and_another_tenant_is_walled_off()
            throws IOException {
        agentStart();
        try {
            connectTheOutside();
            run();
        } finally {
            stopAgent();
        }
    }

    /** One VM (a boot under TCG is slow): its resolv.conf is written into its rootfs, the same DNS answers it. */
    @Test
    @EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForVms")
    void a_vm_resolves_a_public_name_through_its_bridge_and_fetches_from_it() throws IOException {
        GuestKernel kernel = GuestKernel.ensure(FleetHome.cache().resolve("guest-kernel"), GuestKernel.PURPOSE_BUILT);
        agentStart();
        try {
            connectTheOutside();
            QemuRuntime vms = vmRuntime = new QemuRuntime(HostTools.get("qemu-system-x86_64").toString(), HostTools
                    .get("busybox"), kernel, Accelerator.choose("auto"), stateDir, Duration.ofSeconds(120), network);
            Reconciler vmReconciler = new Reconciler(controlPlane, List.of(runtime, vms), new SkopeoImageStore(
                    stateDir, false), workers, Clock.systemUTC(), Duration.ofSeconds(1));
            UUID id = UUID.randomUUID();
            controlPlane.assign(new Assignment(id, UUID.randomUUID(), "initech", image, Isolation.HARDWARE,
                    new Resources(200, 64), sh("/bin/busybox cat /etc/resolv.conf; echo ---;"
                            + " a=$(/bin/busybox nslookup " + NAME + " | /bin/busybox awk '/^Address: /{print $2}'"
                            + " | /bin/busybox tail -n 1); echo resolved=$a;"
                            + " /bin/busybox timeout 5 /bin/busybox wget -q -O - http://$a:" + PORT + "/"),
                    Map.of(),
                    DesiredState.RUNNING, RestartPolicy.NEVER, List.of()).withEgress(EgressPolicy.ALLOW_ALL));
            long began = System.nanoTime();

            InstanceStatusReport exited = controlPlane.awaitReport(vmReconciler, id, InstanceState.EXITED, Duration
                    .ofSeconds(240));

            String output = Files2.tail(vms.outputLog(id), 10);
            System.out.println("[it] VM resolved and fetched in " + (System.nanoTime() - began) / 1_000_000
                    + " ms (boot included): " + output.replace('\n', ' '));
            assertThat(exited.exitCode()).as(output).isZero();
            java.util.regex.Matcher only = java.util.regex.Pattern.compile("nameserver ([0-9.]+)\n---").matcher(
                    output);
            assertThat(only.find()).as("the bridge's DNS the only line of resolv.conf: %s", output).isTrue();
            assertThat(network.pool().contains(Ipv4Subnet.address(only.group(1)))).isTrue();
            assertThat(only.group(1)).endsWith(".1");
            assertThat(output).contains("resolved=" + OUTSIDE).contains(PAGE);
            controlPlane.unassign(id);
            Await.until(WAIT, "the VM removed", () -> {
                vmReconciler.reconcile();
                return vms.list().isEmpty();
            });
        } finally {
            stopAgent();
        }
    }

    private void agentStart() {
        workers = Executors.newFixedThreadPool(4);
        network = NodeNetwork.setUp(NODE, stateDir, NodeNetwork.DEFAULT_POOL, "127.0.0.1");
        network.dnsUpstreams(List.of((InetSocketAddress) upstream.getLocalSocketAddress()));
        runtime = new RuncRuntime(ociRuntime, stateDir, HostFacts.hardLimits(), network);
        reconciler = new Reconciler(controlPlane, List.of(runtime), new SkopeoImageStore(stateDir, false), workers,
                Clock.systemUTC(), Duration.ofSeconds(1));
    }

    /** Stops the agent and takes the outside's link away, so the next agent start does not wall it off. */
    private void stopAgent() {
        workers.shutdownNow();
        network.close();
        disconnectTheOutside();
    }

    private void run() {
        asked.clear(); // what another case asked
        // a tenant without a private network: its bridge's DNS still answers
        UUID keeper = UUID.randomUUID();
        controlPlane.assign(assignment(keeper, "acme", List.of(), EgressPolicy.ALLOW_ALL));
        awaitReport(keeper, InstanceState.RUNNING);
        String gateway = network.attachment(keeper).orElseThrow().gateway();
        assertThat(network.resolvConf("acme")).contains("nameserver " + gateway + "\n");

        UUID denied = UUID.randomUUID();
        controlPlane.assign(assignment(denied, "acme", sh("/bin/busybox nslookup " + NAME
                + "; echo ---; /bin/busybox nslookup web.acme.internal; true"), EgressPolicy.DENY_ALL));
        awaitReport(denied, InstanceState.EXITED);
        String deniedOutput = Files2.tail(runtime.outputLog(denied), 20);
        System.out.println("[it] deny-all: " + deniedOutput.replace('\n', ' '));
        assertThat(deniedOutput).contains("REFUSED").contains("NXDOMAIN").doesNotContain(OUTSIDE);
        assertThat(asked).as("nothing asked upstream for a deny-all instance").isEmpty();

        UUID allowed = UUID.randomUUID();
        long began = System.nanoTime();
        controlPlane.assign(assignment(allowed, "acme", sh("/bin/busybox cat /etc/resolv.conf; echo ---;"
                + " /bin/busybox nslookup web.acme.internal; echo ---;"
                + " a=$(/bin/busybox nslookup " + NAME
                + " | /bin/busybox awk '/^Address: /{print $2}' | /bin/busybox tail -n 1);"
                + " echo resolved=$a; /bin/busybox timeout 5 /bin/busybox wget -q -O - http://$a:" + PORT + "/"),
                EgressPolicy.ALLOW_ALL));
        InstanceStatusReport done = awaitReport(allowed, InstanceState.EXITED);
        String allowedOutput = Files2.tail(runtime.outputLog(allowed), 30);
        System.out.println("[it] allow-all resolved and fetched in " + (System.nanoTime() - began) / 1_000_000
                + " ms (start included): " + allowedOutput.replace('\n', ' '));
        assertThat(done.exitCode()).as(allowedOutput).isZero();
        assertThat(allowedOutput).contains("nameserver " + gateway + "\n---").contains("resolved=" + OUTSIDE)
                .contains(PAGE).contains("NXDOMAIN");
        assertThat(asked).as("asked upstream").contains(NAME).noneMatch(n -> n.endsWith(".internal"));

        // another tenant's allow-all instance: its own bridge's DNS answers, acme's cannot be reached
        int askedBefore = asked.size();
        UUID other = UUID.randomUUID();
        controlPlane.assign(assignment(other, "globex", sh("/bin/busybox timeout 5 /bin/busybox nslookup " + NAME + " "
                + gateway + "; echo other=$?; echo ---; /bin/busybox nslookup " + NAME + "; echo own=$?"),
                EgressPolicy.ALLOW_ALL));
        awaitReport(other, InstanceState.EXITED);
        String otherOutput = Files2.tail(runtime.outputLog(other), 30);
        System.out.println("[it] another tenant: " + otherOutput.replace('\n', ' '));
        String throughAcme = otherOutput.substring(0, otherOutput.indexOf("---"));
        String throughOwn = otherOutput.substring(otherOutput.indexOf("---"));
        assertThat(throughAcme).doesNotContain(OUTSIDE).doesNotContain("other=0");
        assertThat(throughOwn).contains(OUTSIDE);
        assertThat(network.attachment(other).orElseThrow().gateway()).isNotEqualTo(gateway);
        assertThat(asked.size()).isGreaterThan(askedBefore);

        for (UUID id : List.of(keeper, denied, allowed, other)) {
            controlPlane.unassign(id);
        }
        Await.until(WAIT, "all removed", () -> {
            reconciler.reconcile();
            return runtime.list().isEmpty();
        });
    }

    /**
     * The veth to the outside namespace and the route to its address: after {@link NodeNetwork#setUp}, which walls
     * every network the host has at start-up off from instances.
     */
    private static void connectTheOutside() throws IOException {
        ip("link", "add", veth, "type", "veth", "peer", "name", "wan0", "netns", outside);
        ip("addr", "add", LINK_HOST + "/30", "dev", veth);
        ip("link", "set", "dev", veth, "up");
        ip("-n", outside, "addr", "add", LINK_OUTSIDE + "/30", "dev", "wan0");
        ip("-n", outside, "link", "set", "dev", "wan0", "up");
        ip("route", "add", OUTSIDE + "/32", "via", LINK_OUTSIDE);
        // answers come back in on the veth and are forwarded to the bridge
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", veth, "forwarding"), "1");
        Await.untilAsserted(Duration.ofSeconds(20), "the host reaches the outside", () -> assertThat(
                ManagedProcess.run(Duration.ofSeconds(10), List.of("busybox", "wget", "-q", "-O", "-", "http://"
                        + OUTSIDE + ":" + PORT + "/")))
                .contains(PAGE));
    }

    /** Deletes the veth (its route goes with it); nothing if it is not there. */
    private static void disconnectTheOutside() {
        if (veth != null && Files.exists(Path.of("/sys/class/net", veth))) {
            ip("link", "del", veth);
        }
    }

    /** The test's upstream: {@value #NAME} has an A record, any other name does not exist. */
    private static void resolve() {
        byte[] buffer = new byte[512];
        while (!upstream.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                upstream.receive(p);
                byte[] q = Arrays.copyOf(p.getData(), p.getLength());
                if (!(DnsQuery.read(q, q.length) instanceof DnsQuery.Question question)) {
                    continue;
                }
                String name = String.join(".", question.labels());
                asked.add(name);
                byte[] a;
                if (name.equals(NAME) && question.type() == DnsAnswers.TYPE_A) {
                    a = InternalDnsIT.answerA(q, question.end(), OUTSIDE);
                } else {
                    a = DnsAnswers.refusal(q, question, name.equals(NAME) ? DnsAnswers.NOERROR : DnsAnswers.NXDOMAIN);
                    a[2] &= (byte) ~0x04; // not authoritative
                }
                upstream.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    private InstanceStatusReport awaitReport(UUID id, InstanceState state) {
        return controlPlane.awaitReport(reconciler, id, state, WAIT);
    }

    private static Assignment assignment(UUID id, String tenant, List<String> command, EgressPolicy policy) {
        return new Assignment(id, UUID.randomUUID(), tenant, image, Isolation.SHARED, new Resources(200, 32), command,
                Map.of(), DesiredState.RUNNING, RestartPolicy.NEVER, List.of()).withEgress(policy);
    }

    private static List<String> sh(String script) {
        return List.of("/bin/busybox", "sh", "-c", script);
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ManagedProcess.run(Duration.ofSeconds(20), command);
    }
}
