package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.host.Files2;
import dev.nanofleet.node.testing.NodeHost;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.PrivateNetwork;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants' private networks across two nodes, with real ip, bridge and iptables: each node is a network namespace this
 * test makes (the agents' plumbing runs inside, {@link NetworkHost#namespace}), joined by a veth pair (their underlay,
 * {@code 192.0.2.1} and {@code .2}). Tenants acme and globex each have an instance on both nodes; the instances are
 * the network namespaces the agent attaches (what runc would join), with busybox httpd in the second node's. The
 * machine's own network is not touched.
 */
class PrivateNetworkIT {

    private static final String RANGE = "10.192.0.0/12";
    private static final int PORT = 8080;
    private static final String PAGE = "private page";

    private static final List<ManagedProcess> servers = new ArrayList<>();
    private static Path stateDir;
    private static String node1;
    private static String node2;
    private static NodeNetwork one;
    private static NodeNetwork two;

    @BeforeAll
    static void makeTwoNodes() throws IOException {
        NodeHost.require("busybox", "ip", "bridge", "iptables", "iptables-restore", "nsenter");
        stateDir = Files.createTempDirectory("nanofleet-private-it");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        node1 = "nftest-pn1-" + suffix;
        node2 = "nftest-pn2-" + suffix;
        ip("netns", "add", node1);
        ip("netns", "add", node2);
        ip("-n", node1, "link", "set", "dev", "lo", "up");
        ip("-n", node2, "link", "set", "dev", "lo", "up");
        ip("-n", node1, "link", "add", "und0", "type", "veth", "peer", "name", "und0", "netns", node2);
        ip("-n", node1, "addr", "add", "192.0.2.1/24", "dev", "und0");
        ip("-n", node2, "addr", "add", "192.0.2.2/24", "dev", "und0");
        ip("-n", node1, "link", "set", "dev", "und0", "up");
        ip("-n", node2, "link", "set", "dev", "und0", "up");
        one = NodeNetwork.setUp("pn-one", stateDir.resolve("one"), NodeNetwork.DEFAULT_POOL, "127.0.0.1", NetworkHost
                .namespace(node1));
        two = NodeNetwork.setUp("pn-two", stateDir.resolve("two"), NodeNetwork.DEFAULT_POOL, "127.0.0.1", NetworkHost
                .namespace(node2));
    }

    @AfterAll
    static void removeThem() {
        try {
            servers.forEach(ManagedProcess::close);
            for (NodeNetwork n : new NodeNetwork[]{one, two}) {
                if (n != null) {
                    n.detachAll();
                    n.applyPrivateNetworks(List.of());
                    n.close();
                }
            }
        } finally {
            for (String ns : new String[]{node1, node2}) {
                if (ns != null) {
                    ip("netns", "del", ns);
                }
            }
            if (stateDir != null) {
                Files2.deleteTree(stateDir);
            }
        }
    }

    @Test
    void a_tenants_instances_reach_each_other_across_nodes_and_another_tenants_do_not() throws IOException {
        one.applyPrivateNetworks(List.of(network("acme", 1, "10.192.1.0/24", "192.0.2.2", "10.192.2.0/24"),
                network("globex", 2, "10.192.3.0/24", "192.0.2.2", "10.192.4.0/24")));
        two.applyPrivateNetworks(List.of(network("acme", 1, "10.192.2.0/24", "192.0.2.1", "10.192.1.0/24"),
                network("globex", 2, "10.192.4.0/24", "192.0.2.1", "10.192.3.0/24")));
        NodeNetwork.Attachment acme1 = one.attachContainer(UUID.randomUUID(), "acme", List.of(),
                EgressPolicy.DENY_ALL);
        NodeNetwork.Attachment globex1 = one.attachContainer(UUID.randomUUID(), "globex", List.of(),
                EgressPolicy.ALLOW_ALL);
        NodeNetwork.Attachment acme2 = two.attachContainer(UUID.randomUUID(), "acme", List.of(),
                EgressPolicy.DENY_ALL);
        NodeNetwork.Attachment globex2 = two.attachContainer(UUID.randomUUID(), "globex", List.of(),
                EgressPolicy.DENY_ALL);
        // the bridges took the subnets control-api allocated, not /24s of the nodes' own pools
        assertThat(List.of(acme1.address(), globex1.address(), acme2.address(), globex2.address())).containsExactly(
                "10.192.1.2", "10.192.3.2", "10.192.2.2", "10.192.4.2");
        serve(acme2);
        serve(globex2);

        // over the overlay, whatever the egress policy says (deny-all here): the private network is not egress
        Await.untilAsserted(Duration.ofSeconds(20), "acme on node 1 reaches acme on node 2", () -> assertThat(fetch(
                acme1, acme2.address())).contains(PAGE));
        assertThat(fetch(globex1, globex2.address())).contains(PAGE);
        // the other tenant's instance on the other node, though the node routes to it: dropped
        assertThat(fetch(globex1, acme2.address())).doesNotContain(PAGE);
        assertThat(fetch(acme1, globex2.address())).doesNotContain(PAGE);
        // nobody answers the host's own VXLAN port from an instance, and no VXLAN packet comes from elsewhere
        assertThat(iptables(node2, "-S", "NANOFLEET-INPUT")).contains("--dport 4789 -j DROP");

        // the tenant gone from node 2's list: its device and routes go, and acme on node 1 no longer reaches node 2
        two.detach(acme2.instance());
        two.applyPrivateNetworks(List.of(network("globex", 2, "10.192.4.0/24", "192.0.2.1", "10.192.3.0/24")));
        assertThat(ipOut(node2, "-o", "link", "show", "type", "vxlan")).doesNotContain(NetNames.vxlan("pn-two",
                stateDir.resolve("two"), "acme")).contains(NetNames.vxlan("pn-two", stateDir.resolve("two"),
                        "globex"));
        assertThat(ipOut(node2, "-o", "link", "show", "type", "bridge")).doesNotContain(two.bridgeName("acme"));
        assertThat(fetch(globex1, globex2.address())).contains(PAGE);
    }

    private static PrivateNetwork network(String tenant, int vni, String subnet, String peerUnderlay,
            String peerSubnet) {
        return new PrivateNetwork(tenant, vni, subnet, RANGE, List.of(new PrivateNetwork.Peer("peer", peerUnderlay,
                peerSubnet)), Map.of());
    }

    private static void serve(NodeNetwork.Attachment a) throws IOException {
        Path www = stateDir.resolve("www-" + a.instance());
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), PAGE + "\n");
        servers.add(ManagedProcess.builder("httpd-" + a.address(), "nsenter", "--net=" + a.netnsPath(), "busybox",
                "httpd", "-f", "-p", a.address() + ":" + PORT, "-h", www.toString()).log(
                        stateDir.resolve("httpd-"
                                + a.address() + ".log"))
                .start());
        Await.untilAsserted(Duration.ofSeconds(20), "httpd on " + a.address(), () -> assertThat(fetch(a, a
                .address())).contains(PAGE));
    }

    /**
     * What the instance gets for {@code GET /} from {@code address:8080}, or its error in words. With nc, not busybox's
     * wget: that looks up the http service through NSS, which the static busybox cannot load (it crashes).
     */
    private static String fetch(NodeNetwork.Attachment from, String address) {
        return inInstance(from, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + address + " "
                + PORT + " 2>&1 || echo unreachable");
    }

    private static String inInstance(NodeNetwork.Attachment a, String... command) {
        List<String> entered = new ArrayList<>(List.of("nsenter", "--net=" + a.netnsPath()));
        entered.addAll(List.of(command));
        return ManagedProcess.run(Duration.ofSeconds(15), entered);
    }

    private static String iptables(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace, "iptables", "-w",
                "5"));
        command.addAll(List.of(args));
        return ManagedProcess.run(Duration.ofSeconds(10), command);
    }

    private static String ipOut(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        return ManagedProcess.run(Duration.ofSeconds(10), command);
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ManagedProcess.run(Duration.ofSeconds(20), command);
    }
}
