package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.KafkaBroker;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.OciRegistry;
import dev.nanofleet.testsupport.PostgresServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole platform on one machine: PostgreSQL, Kafka, Keycloak, an OCI registry with the demo image, and our
 * services with one node agent, or several ({@code ./fleet up --nodes 3}), each in its own network namespace on a
 * bridge ({@link FleetNetwork}); then control-api and the registry, which the nodes call, listen on the bridge's
 * address instead of 127.0.0.1. {@code ./fleet up} uses the fixed ports of {@link FleetPorts#defaults()}; the
 * end-to-end tests use free ports and a temporary home.
 */
public final class LocalPlatform {

    public static final String NODE_NAME = "local-1";
    /** Where the local platform's deployments answer: {@code <name>-<tenant>.apps.localhost}. */
    public static final String APPS_DOMAIN = "apps.localhost";

    private LocalPlatform() {
    }

    /** The single local node agent's state directory: image cache, bundles, runc state under {@code oci-state}. */
    public static Path nodeState(Layout layout) {
        return layout.data("node-agent").resolve("state");
    }

    /** The root certificate of the local CA that signs the edge's certificate: what clients trust. */
    public static Path edgeCa(Layout layout) {
        return layout.data("edge").resolve("ca").resolve("ca.crt");
    }

    /** The nodes of a platform of {@code count} nodes in {@code layout}. */
    public static List<LocalNode> nodes(Layout layout, int count) {
        return count == 1 ? List.of(singleNode(layout)) : FleetNetwork.plan(layout, count).nodes();
    }

    private static LocalNode singleNode(Layout layout) {
        return new LocalNode(NODE_NAME, "node-agent", nodeState(layout), "127.0.0.1", Optional.empty(), Map.of(),
                NodeAgentService.DEFAULT_CGROUP_PARENT, "auto");
    }

    /** One node in the host's network namespace: what {@code ./fleet up} runs. */
    public static Platform create(Layout layout, FleetPorts ports, PrintStream out) {
        return create(layout, ports, out, 1);
    }

    /**
     * @param nodeCount 1 (today's single node, in the host's network namespace) to {@value FleetNetwork#MAX_NODES}
     * @throws IllegalArgumentException for another count
     */
    public static Platform create(Layout layout, FleetPorts ports, PrintStream out, int nodeCount) {
        if (nodeCount < 1 || nodeCount > FleetNetwork.MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be 1 to " + FleetNetwork.MAX_NODES + ", not " + nodeCount);
        }
        Optional<FleetNetwork> network = nodeCount == 1
                ? Optional.empty()
                : Optional.of(FleetNetwork.plan(layout, nodeCount));
        List<LocalNode> nodes = network.map(FleetNetwork::nodes).orElse(List.of(singleNode(layout)));
        // what the nodes call listens where they reach it: the bridge's address, or loopback for the single node
        String nodeFacing = network.map(FleetNetwork::hostAddress).orElse("127.0.0.1");
        String kafka = "127.0.0.1:" + ports.kafka();
        String keycloakUrl = "http://127.0.0.1:" + ports.keycloak();
        String issuer = keycloakUrl + "/realms/" + KeycloakServer.REALM;
        String registry = nodeFacing + ":" + ports.registry();
        String apiUrl = "http://" + nodeFacing + ":" + ports.controlApi();
        String billingUrl = "http://127.0.0.1:" + ports.billing();
        // the portal's pages call control-api and tenant-billing from the browser: those answer CORS for it only
        String portalOrigins = "http://127.0.0.1:" + ports.webUi() + ",http://localhost:" + ports.webUi();
        PostgresComponent postgres = new PostgresComponent(ports.postgres(),
                List.of("controlapi", "scheduler", "billing"));

        List<Component> components = new ArrayList<>(List.of(
                postgres,
                new ExternalComponent("kafka", kafka,
                        l -> KafkaBroker.startDetached(l.data("kafka"), ports.kafka(), ports.kafkaController()).pid(),
                        () -> ManagedProcess.portOpen("127.0.0.1", ports.kafka())),
                new ExternalComponent("keycloak", keycloakUrl,
                        l -> KeycloakServer.startDetached(l.data("keycloak"), ports.keycloak()).pid(),
                        () -> ManagedProcess.http200(URI.create(issuer + "/.well-known/openid-configuration"))),
                new ExternalComponent("registry", registry,
                        l -> {
                            OciRegistry started = OciRegistry.startDetached(l.data("registry"), nodeFacing,
                                    ports.registry());
                            DemoImage.pushTo(started.address());
                            return started.pid();
                        },
                        () -> ManagedProcess.http200(URI.create("http://" + registry + "/v2/"))),
                new QuarkusService("control-api", "control-api", nodeFacing, List.of(), ports.controlApi(), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("controlapi"),
                        "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USERNAME,
                        "QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD,
                        "QUARKUS_OIDC_AUTH_SERVER_URL", issuer,
                        // the realm file's development secret of client nanofleet-control-api, which creates tenants'
                        // users through Keycloak's admin API
                        "NANOFLEET_KEYCLOAK_ADMIN_CLIENT_SECRET", "control-api-secret",
                        // signs the per-node, per-instance grants of log reads; agents get its public half
                        "NANOFLEET_LOGS_SIGNING_KEY",
                        SecretsKey.readOrCreate(layout.data("control-api").resolve("logs-signing.key")),
                        "KAFKA_BOOTSTRAP_SERVERS", kafka,
                        "NANOFLEET_PORTAL_ORIGINS", portalOrigins,
                        // the edge's: no tenant may claim a custom domain in it
                        "NANOFLEET_CONTROL_API_APPS_DOMAIN", APPS_DOMAIN,
                        "NANOFLEET_CONTROL_API_SECRETS_KEY",
                        SecretsKey.readOrCreate(layout.data("control-api").resolve("secrets.key"))), "256m"),
                new QuarkusService("scheduler", ports.scheduler(), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("scheduler"),
                        "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USERNAME,
                        "QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD,
                        "KAFKA_BOOTSTRAP_SERVERS", kafka,
                        // every endpoint but health and metrics wants an operator's token from this realm
                        "QUARKUS_OIDC_AUTH_SERVER_URL", issuer,
                        // an idle VM of a 64 MiB request costs ~89 MiB RSS (~71 MiB PSS) on the host under TCG (guest
                        // RAM in use, QEMU, its 16 MiB translation cache; `./fleet bench node`): ~25 MiB over the
                        // request. A guest that fills its RAM (request + 32) costs up to ~80 MiB over it.
                        "NANOFLEET_SCHEDULER_VM_OVERHEAD_MIB", "30"), "256m"),
                new QuarkusService("tenant-billing", ports.billing(), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("billing"),
                        "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USERNAME,
                        "QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD,
                        "QUARKUS_OIDC_AUTH_SERVER_URL", issuer,
                        "KAFKA_BOOTSTRAP_SERVERS", kafka,
                        // API tokens live in control-api: tenant-billing asks it who a token is
                        "NANOFLEET_BILLING_CONTROL_API_URL", apiUrl,
                        "NANOFLEET_PORTAL_ORIGINS", portalOrigins), "192m"),
                new QuarkusService("edge", ports.edge(), Map.of(
                        "NANOFLEET_EDGE_APPS_DOMAIN", APPS_DOMAIN,
                        "NANOFLEET_EDGE_HTTPS_PORT", Integer.toString(ports.edgeHttps()),
                        "NANOFLEET_EDGE_HTTP_PORT", Integer.toString(ports.edgeHttp()),
                        // the local CA (ca/ca.crt: what people trust) and HAProxy's files live here
                        "NANOFLEET_EDGE_DATA_DIR", layout.data("edge").toString(),
                        "NANOFLEET_EDGE_CONTROL_API_URL", apiUrl,
                        "NANOFLEET_EDGE_TOKEN_URL", issuer + "/protocol/openid-connect/token",
                        // the realm file's development secret of client nanofleet-edge (realm role edge)
                        "NANOFLEET_EDGE_CLIENT_SECRET", "edge-secret",
                        "NANOFLEET_EDGE_KAFKA_BOOTSTRAP_SERVERS", kafka), "128m"),
                new QuarkusService("web-ui", ports.webUi(), Map.of(
                        "NANOFLEET_WEB_UI_API_URL", apiUrl,
                        "NANOFLEET_WEB_UI_BILLING_URL", billingUrl,
                        "NANOFLEET_WEB_UI_OIDC_ISSUER", issuer), "128m")));
        // the node agents start after control-api (they join through it), before the services that only read
        int agentsAt = components.indexOf(components.stream().filter(c -> c.name().equals("scheduler")).findFirst()
                .orElseThrow()) + 1;
        List<Component> agents = new ArrayList<>();
        for (LocalNode node : nodes) {
            agents.add(new NodeAgentService(node, ports.nodeAgent(),
                    agentConfig(layout, node, apiUrl, node.agentUrl(ports.nodeAgent())),
                    // the node joins with a join token ops makes once control-api is up (and keeps its credential)
                    new LocalNodeJoin(apiUrl, keycloakUrl, node.name(), out)));
        }
        components.addAll(agentsAt, agents);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("NANOFLEET_API_URL", apiUrl);
        env.put("NANOFLEET_OIDC_ISSUER", issuer);
        env.put("NANOFLEET_TOKEN_URL", issuer + "/protocol/openid-connect/token");
        env.put("NANOFLEET_REGISTRY", registry);
        env.put("NANOFLEET_DEMO_IMAGE", DemoImage.reference(registry));
        env.put("NANOFLEET_KAFKA", kafka);
        env.put("NANOFLEET_BILLING_URL", billingUrl);
        env.put("NANOFLEET_PORTAL_URL", "http://127.0.0.1:" + ports.webUi());
        env.put("NANOFLEET_NODE_AGENT_URL", nodes.getFirst().agentUrl(ports.nodeAgent()));
        // a deployment answers at https://<name>-<tenant>.apps.localhost:<port>/ (curl resolves *.localhost itself):
        // the edge's URL with "<name>-<tenant>." before the domain
        env.put("NANOFLEET_EDGE_URL", "https://" + APPS_DOMAIN + ":" + ports.edgeHttps());
        env.put("NANOFLEET_EDGE_PORT", Integer.toString(ports.edgeHttps()));
        env.put("NANOFLEET_APPS_DOMAIN", APPS_DOMAIN);
        env.put("NANOFLEET_EDGE_CA", edgeCa(layout).toString());
        if (network.isPresent()) {
            env.put("NANOFLEET_NODES", String.join(",", nodes.stream().map(LocalNode::name).toList()));
            for (LocalNode node : nodes) {
                env.put("NANOFLEET_NODE_AGENT_URL_" + node.name().toUpperCase(Locale.ROOT).replace('-', '_'),
                        node.agentUrl(ports.nodeAgent()));
            }
        }
        return new Platform(layout, network.<List<HostSetup>>map(List::of).orElse(List.of()), components, env, out);
    }

    /** The agent's environment; the single node's is what it has always been (no labels, pool or cgroup parent). */
    static Map<String, String> agentConfig(Layout layout, LocalNode node, String apiUrl,
            String agentUrl) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("NANOFLEET_NODE_NAME", node.name());
        config.put("NANOFLEET_NODE_CONTROL_API_URL", apiUrl);
        config.put("NANOFLEET_NODE_STATE_DIR", node.stateDir().toString());
        config.put("NANOFLEET_NODE_REGISTRY_TLS_VERIFY", "false");
        config.put("NANOFLEET_NODE_HARDWARE_ENABLED", "true");
        // shared with the tests and later platforms: the guest kernel is fetched once
        config.put("NANOFLEET_NODE_HARDWARE_KERNEL_CACHE", FleetHome.cache().resolve("guest-kernel").toString());
        // exec into instances: nf-exec as ./fleet builds it (deploy/exec-helper/build); empty (no exec on this node)
        // while it is not built
        config.put("NANOFLEET_NODE_EXEC_HELPER", execHelper());
        // where control-api reads instance logs: the address the agent registers from
        config.put("NANOFLEET_NODE_AGENT_URL", agentUrl);
        // the agent's own log, as operators read it through GET /v1/nodes/{name}/logs: the file its output goes to
        config.put("NANOFLEET_NODE_LOGS_AGENT_SOURCE", "file");
        config.put("NANOFLEET_NODE_LOGS_AGENT_FILE", layout.log(node.component()).toAbsolutePath().toString());
        if (node.netns().isPresent()) {
            node.labels().forEach((key, value) -> config.put("NANOFLEET_NODE_LABELS_" + key.toUpperCase(Locale.ROOT),
                    value));
            config.put("NANOFLEET_NODE_RUNTIME_CGROUP_PARENT", node.cgroupParent());
            config.put("NANOFLEET_NODE_NETWORK_POOL", node.pool());
        }
        return config;
    }

    /** The exec helper in the fleet cache, or "" (unset) when it has not been built. */
    static String execHelper() {
        java.nio.file.Path helper = FleetHome.cache().resolve("exec-helper").resolve("nf-exec");
        return java.nio.file.Files.isExecutable(helper) ? helper.toString() : "";
    }
}
