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
 * replicas run on the others and none is left on it (as its own agent sees it), and the walls hold across nodes: an
 * instance reaches nothing on another node, neither private addresses nor published ports, of its own tenant or
 * another's; published ports answer from the nodes' network.
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
     * The rule across nodes: an instance has no way out of its node (the agent routes and NATs nothing), so it reaches
     * neither private addresses nor published ports on another node, whether they are its own tenant's or another's,
     * nor the platform's services; published ports answer whoever is on the nodes' network (here the host).
     */
    @Test
    void an_instance_reaches_nothing_on_another_node_and_published_ports_answer_from_the_nodes_network()
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

            // the same tenant on another node: its own page (the probe works), nothing of node 1's
            String sameTenant = createOn(names.get(1), bob, prober("wall-probe-e2e", "shared", List.of(
                    "127.0.0.1:" + DemoImage.PORT, privateTarget, publishedTarget, apiTarget)));
            created.add(new String[]{bob, sameTenant});
            // another tenant on a third node, in its own VM
            String otherTenant = createOn(names.get(2), alice, prober("wall-probe-vm-e2e", "hardware", List.of(
                    "127.0.0.1:" + DemoImage.PORT, privateTarget, publishedTarget)));
            created.add(new String[]{alice, otherTenant});

            String bobs = awaitProbed(bob, sameTenant, List.of(privateTarget, publishedTarget, apiTarget,
                    "127.0.0.1:" + DemoImage.PORT));
            assertThat(bobs).contains("reach 127.0.0.1:" + DemoImage.PORT + " ok")
                    .doesNotContain("reach " + privateTarget + " ok", "reach " + publishedTarget + " ok",
                            "reach " + apiTarget + " ok");
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
