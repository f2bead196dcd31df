package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.e2e.chaos.NodeProbe;
import dev.nanofleet.launcher.LocalNode;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several real nodes on one machine ({@code ./fleet up --nodes 3}: one agent per network namespace, zones local-a..c):
 * nodes register with their zones, the scheduler spreads a deployment's VMs over nodes and zones, a drained node's
 * replicas run on the others and none is left on it (as its own agent sees it), and the walls hold across nodes: a
 * tenant's instances resolve ({@code <deployment>.<tenant>.internal}) and reach each other's private addresses over
 * its private network across nodes, and nothing else: not another tenant's names or addresses, not published ports on
 * other nodes, not the platform; published ports answer from the nodes' network.
 *
 * <p>
 * Every test gives back what it takes (deployments deleted, nodes uncordoned): the platform is shared.
 */
class MultiNodeJourneyIT {

    private static final Duration RUNNING = Duration.ofSeconds(180);
    private static SharedPlatform platform;
    private static String ops;

    @BeforeAll
    static void startThePlatform() throws Exception {
        platform = SharedPlatform.get();
        ops = platform.keycloak.passwordToken("ops", "nanofleet");
    }

    @Test
    void every_node_registers_with_its_zone_and_is_ready() {
        JsonPath nodes = given().auth().oauth2(ops).get(platform.api + "/v1/nodes").then().statusCode(200).extract()
                .jsonPath();

        for (LocalNode node : platform.nodes) {
            Map<String, Object> view = nodes.getMap("find { it.name == '" + node.name() + "' }");
            assertThat(view).as(node.name()).isNotNull();
            assertThat(asMap(view.get("labels"))).as(node.name()).containsEntry("zone", node.zone().orElseThrow());
            assertThat(view.get("state")).as(node.name()).isEqualTo("ready");
        }
        assertThat(platform.nodes).map(n -> n.zone().orElseThrow()).containsExactly("local-a", "local-b",
                "local-c");
    }

    @Test
    void a_deployments_vms_spread_over_nodes_and_zones_and_a_drained_nodes_vm_runs_on_another() {
        String alice = platform.keycloak.passwordToken("alice", "nanofleet");
        String id = create(alice, deployment("spread-e2e", "hardware", 3));
        String drained = null;
        try {
            List<Map<String, Object>> running = awaitRunning(alice, id, 3, Set.of());
            Set<String> nodes = nodesOf(running);
            // the scheduler's DeploymentSpread keeps a deployment's VMs apart, by node and by zone
            assertThat(nodes).as("nodes of " + running).hasSize(3);
            assertThat(nodes.stream().map(n -> platform.node(n).zone().orElseThrow()).distinct()).hasSize(3);

            drained = (String) running.getFirst().get("node");
            String moved = (String) running.getFirst().get("id");
            drain(drained);

            List<Map<String, Object>> after = awaitRunning(alice, id, 3, Set.of(drained));
            assertThat(after).extracting(i -> i.get("id")).contains(moved);
            // the drained node's agent runs no VM of the deployment any more
            Path vms = platform.node(drained).stateDir().resolve("vms");
            Await.until(Duration.ofSeconds(60), "no VM of " + id + " left on " + drained,
                    () -> after.stream().noneMatch(i -> NodeProbe.vmRuns(vms.resolve((String) i.get("id")))));
        } finally {
            cleanUp(alice, id, drained);
        }
    }

    @Test
    void shared_kernel_replicas_of_a_drained_node_run_on_the_others_and_its_runc_holds_none_of_them()
            throws Exception {
        String bob = platform.keycloak.passwordToken("bob", "nanofleet");
        String id = create(bob, deployment("drain-e2e", "shared", 3));
        String drained = null;
        try {
            List<Map<String, Object>> running = awaitRunning(bob, id, 3, Set.of());
            // shared-kernel replicas are not spread but packed onto their tenant's kernels (KernelOwnership,
            // DeploymentSpread): the point here is what a drain does
            drained = (String) running.getFirst().get("node");
            Set<String> ids = idsOf(running);
            assertThat(runcContainers(drained)).containsAnyElementsOf(ids);
            drain(drained);

            List<Map<String, Object>> after = awaitRunning(bob, id, 3, Set.of(drained));
            assertThat(idsOf(after)).isEqualTo(ids);
            String node = drained;
            Await.until(Duration.ofSeconds(60), "no runc container of " + id + " left on " + node,
                    () -> runcContainers(node).stream().noneMatch(ids::contains));
            for (Map<String, Object> instance : after) {
                assertThat(runcContainers((String) instance.get("node"))).contains((String) instance.get("id"));
            }
        } finally {
            cleanUp(bob, id, drained);
        }
    }

    /**
     * The rule across nodes: an instance reaches its own tenant's private addresses on other nodes (its tenant's
     * private network) and nothing else there: not another tenant's, not published ports on another node, not the
     * platform's services; published ports answer whoever is on the nodes' network (here the host).
     */
    @Test
    void an_instance_reaches_only_its_tenants_private_addresses_on_another_node_and_published_ports_answer_from_the_nodes_network()
            throws Exception {
        String bob = platform.keycloak.passwordToken("bob", "nanofleet");
        String alice = platform.keycloak.passwordToken("alice", "nanofleet");
        List<String> names = platform.nodeNames();
        List<String[]> created = new ArrayList<>();
        try {
            Map<String, Object> web = new HashMap<>(deployment("wall-web-e2e", "shared", 1));
            web.put("ports", List.of(Map.of("containerPort", DemoImage.PORT)));
            String webId = createOn(names.get(0), bob, web);
            created.add(new String[]{bob, webId});
            Map<String, Object> server = awaitRunning(bob, webId, 1, Set.of()).getFirst();
            Map<String, Object> network = asMap(server.get("network"));
            String privateTarget = network.get("address") + ":" + DemoImage.PORT;
            int hostPort = ((Number) asMap(((List<?>) network.get("ports")).getFirst()).get("hostPort")).intValue();
            String publishedTarget = platform.node(names.get(0)).address() + ":" + hostPort;
            String apiTarget = URI.create(platform.api).getAuthority();

            // the published port answers from the nodes' network
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                    + publishedTarget + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).isEqualTo(DemoImage.PAGE);

            // the same tenant on another node: its own page (the probe works), node 1's replica over the tenant's private
            // network, nothing else of node 1's
            String sameTenant = createOn(names.get(1), bob, prober("wall-probe-e2e", "shared", List.of(
                    "127.0.0.1:" + DemoImage.PORT, privateTarget, publishedTarget, apiTarget)));
            created.add(new String[]{bob, sameTenant});
            // another tenant on a third node, in its own VM
            String otherTenant = createOn(names.get(2), alice, prober("wall-probe-vm-e2e", "hardware", List.of(
                    "127.0.0.1:" + DemoImage.PORT, privateTarget, publishedTarget)));
            created.add(new String[]{alice, otherTenant});

            String bobs = awaitProbed(bob, sameTenant, List.of(privateTarget, publishedTarget, apiTarget,
                    "127.0.0.1:" + DemoImage.PORT));
            assertThat(bobs).contains("reach 127.0.0.1:" + DemoImage.PORT + " ok", "reach " + privateTarget + " ok")
                    .doesNotContain("reach " + publishedTarget + " ok", "reach " + apiTarget + " ok");
            String alices = awaitProbed(alice, otherTenant, List.of(privateTarget, publishedTarget,
                    "127.0.0.1:" + DemoImage.PORT));
            assertThat(alices).contains("reach 127.0.0.1:" + DemoImage.PORT + " ok")
                    .doesNotContain("reach " + privateTarget + " ok", "reach " + publishedTarget + " ok");
        } finally {
            for (String node : names) {
                given().auth().oauth2(ops).post(platform.api + "/v1/nodes/" + node + "/uncordon").then()
                        .statusCode(200);
            }
            for (String[] deployment : created) {
                given().auth().oauth2(deployment[0]).delete(platform.api + "/v1/deployments/" + deployment[1]).then()
                        .statusCode(202);
            }
        }
    }

    /**
     * A tenant's private network across nodes, with DNS: bob's container on node 1 and his VM on node 3 resolve
     * {@code <deployment>.<bob's tenant>.internal} through the resolver their nodes gave them and get the page of the
     * replica on node 2; alice's VM beside that replica on node 2 gets no answer for bob's name, neither from her own
     * bridge's DNS nor from bob's, and cannot reach the replica's private address.
     */
    @Test
    void a_tenants_containers_and_vms_resolve_and_reach_each_other_across_nodes_and_another_tenant_neither_resolves_nor_reaches_them()
            throws Exception {
        String bob = platform.keycloak.passwordToken("bob", "nanofleet");
        String alice = platform.keycloak.passwordToken("alice", "nanofleet");
        String tenant = given().auth().oauth2(bob).get(platform.api + "/v1/me").then().statusCode(200).extract()
                .path("tenant");
        List<String> names = platform.nodeNames();
        List<String[]> created = new ArrayList<>();
        try {
            String webId = createOn(names.get(1), bob, deployment("pn-web-e2e", "shared", 1));
            created.add(new String[]{bob, webId});
            String address = (String) asMap(awaitRunning(bob, webId, 1, Set.of()).getFirst().get("network")).get(
                    "address");
            String bobsDns = address.substring(0, address.lastIndexOf('.')) + ".1";
            String name = "pn-web-e2e." + tenant + ".internal";

            String client = createOn(names.get(0), bob, resolver("pn-client-e2e", "shared", name, address, List
                    .of()));
            created.add(new String[]{bob, client});
            // bob's VM on node 3: the node writes the same resolver into the guest's /etc/resolv.conf
            String vmClient = createOn(names.get(2), bob, resolver("pn-client-vm-e2e", "hardware", name, address,
                    List.of()));
            created.add(new String[]{bob, vmClient});
            String intruder = createOn(names.get(1), alice, resolver("pn-intruder-e2e", "hardware", name, address,
                    List.of(bobsDns)));
            created.add(new String[]{alice, intruder});

            String bobs = awaitLines(bob, client, List.of("resolve " + name + " ", "reach " + address + " "));
            assertThat(bobs).contains("resolve " + name + " " + address, "reach " + address + " ok");
            String bobsVm = awaitLines(bob, vmClient, List.of("resolve " + name + " ", "reach " + address + " "));
            assertThat(bobsVm).contains("resolve " + name + " " + address, "reach " + address + " ok");
            String alices = awaitLines(alice, intruder, List.of("resolve " + name + " ", "ask " + bobsDns + " ",
                    "ask gateway ", "reach " + address + " "));
            assertThat(alices).contains("reach " + address + " blocked", "ask " + bobsDns + " none",
                    "ask gateway none", "resolve " + name + " none").doesNotContain("reach " + address + " ok",
                            "ask " + bobsDns + " 10.", "ask gateway 10.", "resolve " + name + " 10.");
        } finally {
            for (String node : names) {
                given().auth().oauth2(ops).post(platform.api + "/v1/nodes/" + node + "/uncordon").then()
                        .statusCode(200);
            }
            for (String[] deployment : created) {
                given().auth().oauth2(deployment[0]).delete(platform.api + "/v1/deployments/" + deployment[1]).then()
                        .statusCode(202);
            }
        }
    }

    /**
     * A replica that serves the demo page and, every second, resolves {@code name} through its own resolver
     * ({@code resolve <name> <first address|none>}), asks its gateway's DNS ({@code ask gateway ...}) and each of
     * {@code servers} ({@code ask <server> ...}) the same, and says whether the address it resolved and
     * {@code address} answer HTTP ({@code reach <ip> ok|blocked}). busybox's nslookup sends its own queries (no NSS).
     */
    private static Map<String, Object> resolver(String deployment, String isolation, String name, String address,
            List<String> servers) {
        Map<String, Object> request = new HashMap<>(deployment(deployment, isolation, 1));
        String first = "sed -n 's/^Address:[[:space:]]*\\([0-9.]*\\)$/\\1/p' | head -n 1";
        String loop = String.join(" ", DemoImage.ENTRYPOINT).replace(" -f ", " ") + "; while true; do"
                + " a=$(nslookup " + name + " 2>/dev/null | " + first + "); echo \"resolve " + name + " ${a:-none}\";"
                + " gw=$(ip route | awk '/^default/ {print $3}');"
                + " g=$(nslookup " + name + " $gw 2>/dev/null | " + first + "); echo \"ask gateway ${g:-none}\";"
                + " for s in " + String.join(" ", servers) + "; do"
                + " r=$(nslookup " + name + " $s 2>/dev/null | " + first + "); echo \"ask $s ${r:-none}\"; done;"
                + " for t in $a " + address + "; do if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 $t "
                + DemoImage.PORT + " 2>/dev/null | grep -q 'HTTP/1'; then echo \"reach $t ok\"; else"
                + " echo \"reach $t blocked\"; fi; done; sleep 1; done";
        request.put("command", List.of("/bin/sh", "-c", loop));
        return request;
    }

    /** The instance's output once each of {@code prefixes} started at least two lines. */
    private static String awaitLines(String token, String deploymentId, List<String> prefixes) {
        String instance = (String) awaitRunning(token, deploymentId, 1, Set.of()).getFirst().get("id");
        String logs = platform.api + "/v1/instances/" + instance + "/logs?tail=10000";
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            return Await.value(Duration.ofSeconds(120), "two rounds of lookups by " + instance, () -> {
                String body = given().auth().oauth2(token).get(logs).then().statusCode(200).extract().asString();
                last.set(body);
                return prefixes.stream().allMatch(p -> body.split(java.util.regex.Pattern.quote(p), -1).length > 2)
                        ? body
                        : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nits output so far:\n" + last.get() + "\n"
                    + platform.agentLogTails(30), e);
        }
    }

    /** Creates the deployment with every node but {@code node} cordoned, waits until it runs there, uncordons. */
    private static String createOn(String node, String token, Map<String, Object> request) {
        for (String other : platform.nodeNames()) {
            given().auth().oauth2(ops).post(platform.api + "/v1/nodes/" + other + (other.equals(node)
                    ? "/uncordon"
                    : "/cordon")).then().statusCode(200);
        }
        String id = create(token, request);
        List<Map<String, Object>> running = awaitRunning(token, id, 1, Set.of());
        assertThat(running.getFirst().get("node")).isEqualTo(node);
        return id;
    }

    /**
     * A replica that serves the demo page and, every second, says for each {@code ip:port} whether an HTTP request got
     * an answer. With nc, not busybox's wget: that looks up the http service through NSS, which the static busybox
     * cannot load (it crashes).
     */
    private static Map<String, Object> prober(String name, String isolation, List<String> targets) {
        Map<String, Object> request = new HashMap<>(deployment(name, isolation, 1));
        String loop = String.join(" ", DemoImage.ENTRYPOINT).replace(" -f ", " ") + "; while true; do for t in "
                + String.join(" ", targets) + "; do if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${t%:*} ${t#*:}"
                + " 2>/dev/null | grep -q 'HTTP/1'; then echo \"reach $t ok\"; else echo \"reach $t blocked\"; fi;"
                + " done; sleep 1; done";
        request.put("command", List.of("/bin/sh", "-c", loop));
        return request;
    }

    /** The instance's output once it has tried every target at least twice. */
    private static String awaitProbed(String token, String deploymentId, List<String> targets) {
        String instance = (String) awaitRunning(token, deploymentId, 1, Set.of()).getFirst().get("id");
        String logs = platform.api + "/v1/instances/" + instance + "/logs?tail=10000";
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            return Await.value(Duration.ofSeconds(120), "two rounds of probes by " + instance, () -> {
                String body = given().auth().oauth2(token).get(logs).then().statusCode(200).extract().asString();
                last.set(body);
                return targets.stream().allMatch(t -> body.split("reach " + t + " ", -1).length > 2) ? body : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nits output so far:\n" + last.get(), e);
        }
    }

    private static Map<String, Object> deployment(String name, String isolation, int replicas) {
        return Map.of("name", name, "image", platform.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", replicas,
                "resources", Map.of("cpuMillis", 100, "memoryMiB", 64), "isolation", isolation);
    }

    private static String create(String token, Map<String, Object> request) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(request)
                .post(platform.api + "/v1/deployments").then().statusCode(201).extract().path("id");
    }

    private static void drain(String node) {
        given().auth().oauth2(ops).post(platform.api + "/v1/nodes/" + node + "/drain").then().statusCode(200);
    }

    private static void cleanUp(String token, String deploymentId, String drained) {
        if (drained != null) {
            given().auth().oauth2(ops).post(platform.api + "/v1/nodes/" + drained + "/uncordon").then()
                    .statusCode(200);
        }
        given().auth().oauth2(token).delete(platform.api + "/v1/deployments/" + deploymentId).then().statusCode(202);
    }

    /** Waits until {@code replicas} instances run, none on {@code notOn}; says what the API answered last if not. */
    private static List<Map<String, Object>> awaitRunning(String token, String deploymentId, int replicas,
            Set<String> notOn) {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            return Await.value(RUNNING, replicas + " instances of " + deploymentId + " running, none on " + notOn,
                    () -> {
                        JsonPath body = given().auth().oauth2(token).get(platform.api + "/v1/deployments/"
                                + deploymentId).then().statusCode(200).extract().jsonPath();
                        last.set(body.prettify());
                        List<Map<String, Object>> instances = body.getList("instances");
                        boolean done = instances.size() == replicas && instances.stream().allMatch(
                                i -> "running".equals(i.get("state")) && !notOn.contains((String) i.get("node")));
                        return done ? instances : null;
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast answer: " + last.get() + "\n"
                    + platform.agentLogTails(20), e);
        }
    }

    private static Set<String> nodesOf(List<Map<String, Object>> instances) {
        Set<String> nodes = new HashSet<>();
        instances.forEach(i -> nodes.add((String) i.get("node")));
        return nodes;
    }

    private static Set<String> idsOf(List<Map<String, Object>> instances) {
        Set<String> ids = new HashSet<>();
        instances.forEach(i -> ids.add((String) i.get("id")));
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** The containers the node's own OCI runtime lists ({@code runc --root <state>/oci-state list}). */
    private static List<String> runcContainers(String node) throws Exception {
        Process list = new ProcessBuilder("runc", "--root", platform.node(node).ociState().toString(), "list", "-q")
                .redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes());
        assertThat(list.waitFor()).as("runc list on " + node + ": " + out).isZero();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
