package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;

import dev.nanofleet.launcher.FleetPorts;
import dev.nanofleet.launcher.Layout;
import dev.nanofleet.launcher.LocalNode;
import dev.nanofleet.launcher.LocalPlatform;
import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One platform for every IT class in this JVM: starting it (PostgreSQL, Kafka, Keycloak, the registry, four services
 * and {@value #NODES} node agents, each in its own network namespace as {@code ./fleet up --nodes 3} runs them) takes
 * minutes, so the first class that asks starts it and a shutdown hook stops it and deletes its data
 * once Failsafe's JVM ends. Tests share it, so each names its deployments uniquely and asserts on its own only.
 *
 * <p>
 * If the start fails, every later class fails with the same cause instead of trying again.
 */
final class SharedPlatform {

    /** The node agents: local-1 .. local-3, in zones local-a .. local-c. */
    static final int NODES = 3;

    private static SharedPlatform instance;
    private static RuntimeException startFailure;

    final Platform platform;
    final Path home;
    final String api;
    final KeycloakServer keycloak;
    final List<LocalNode> nodes;
    /** Its ports: what the environment does not name, e.g. PostgreSQL's for a look into a service's database. */
    final FleetPorts ports;

    private SharedPlatform(Platform platform, Path home, String api, KeycloakServer keycloak, List<LocalNode> nodes,
            FleetPorts ports) {
        this.platform = platform;
        this.ports = ports;
        this.home = home;
        this.api = api;
        this.keycloak = keycloak;
        this.nodes = nodes;
    }

    /** The running platform, started on the first call; skips (or fails under CI) without the host tools. */
    static synchronized SharedPlatform get() throws Exception {
        HostTools.require("runc", "skopeo", "umoci", "docker-registry", "qemu-system-x86_64");
        if (startFailure != null) {
            throw new IllegalStateException("the shared platform failed to start earlier", startFailure);
        }
        if (instance == null) {
            try {
                instance = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return instance;
    }

    private static SharedPlatform start() throws Exception {
        // nf-exec, which the node agent needs for exec (what ./fleet's ensure_exec_helper does; cached, ~1 s)
        Process helper = new ProcessBuilder(FleetHome.repoRoot().resolve("deploy/exec-helper/build").toString(),
                FleetHome.cache().resolve("exec-helper").toString()).inheritIO().start();
        if (helper.waitFor() != 0) {
            throw new IllegalStateException("deploy/exec-helper/build failed (gcc and libc6-dev installed?)");
        }
        Path home = Files.createTempDirectory("nanofleet-e2e-");
        FleetPorts ports = FleetPorts.free();
        Layout layout = new Layout(FleetHome.repoRoot(), home);
        Platform platform = LocalPlatform.create(layout, ports, System.out, NODES);
        // registered before up(): a start that fails half-way still stops what did start
        Runtime.getRuntime().addShutdownHook(new Thread(() -> platform.down(true), "nanofleet-e2e-platform-down"));
        platform.up();
        String api = platform.environment().get("NANOFLEET_API_URL");
        String issuer = platform.environment().get("NANOFLEET_OIDC_ISSUER");
        KeycloakServer keycloak = KeycloakServer.external(issuer.substring(0, issuer.indexOf("/realms/")));
        String ops = keycloak.passwordToken("ops", "nanofleet");
        List<LocalNode> nodes = LocalPlatform.nodes(layout, NODES);
        List<String> names = nodes.stream().map(LocalNode::name).toList();
        Await.until(Duration.ofSeconds(60), "nodes " + names + " registered",
                () -> given().auth().oauth2(ops).get(api + "/v1/nodes").then().extract().jsonPath()
                        .getList("name").containsAll(names));
        return new SharedPlatform(platform, home, api, keycloak, nodes, ports);
    }

    List<String> nodeNames() {
        return nodes.stream().map(LocalNode::name).toList();
    }

    LocalNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + nodeNames()));
    }

    /** The base URL of a node's agent (its own address in its namespace). */
    String agentUrl(String node) {
        return node(node).agentUrl(ports.nodeAgent());
    }

    /** The last lines of every node agent's log, for a failure message. */
    String agentLogTails(int lines) {
        StringBuilder text = new StringBuilder();
        for (LocalNode node : nodes) {
            text.append("--- ").append(node.name()).append(" agent log tail ---\n")
                    .append(ManagedProcess.logTail(layout().log(node.component()), lines)).append('\n');
        }
        return text.toString();
    }

    Map<String, String> environment() {
        return platform.environment();
    }

    Layout layout() {
        return new Layout(FleetHome.repoRoot(), home);
    }
}
