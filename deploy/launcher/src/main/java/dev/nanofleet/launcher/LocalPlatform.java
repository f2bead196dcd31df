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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform on one machine: PostgreSQL, Kafka, Keycloak, an OCI registry with the demo image, and our
 * services with one node agent. {@code ./fleet up} uses the fixed ports of {@link FleetPorts#defaults()}; the
 * end-to-end tests use free ports and a temporary home.
 */
public final class LocalPlatform {

    public static final String NODE_NAME = "local-1";

    private LocalPlatform() {
    }

    /** The local node agent's state directory: image cache, bundles, runc state under {@code oci-state}. */
    public static Path nodeState(Layout layout) {
        return layout.data("node-agent").resolve("state");
    }

    public static Platform create(Layout layout, FleetPorts ports, PrintStream out) {
        String kafka = "127.0.0.1:" + ports.kafka();
        String keycloakUrl = "http://127.0.0.1:" + ports.keycloak();
        String issuer = keycloakUrl + "/realms/" + KeycloakServer.REALM;
        String registry = "127.0.0.1:" + ports.registry();
        String apiUrl = "http://127.0.0.1:" + ports.controlApi();
        String billingUrl = "http://127.0.0.1:" + ports.billing();
        // the portal's pages call control-api and tenant-billing from the browser: those answer CORS for it only
        String portalOrigins = "http://127.0.0.1:" + ports.webUi() + ",http://localhost:" + ports.webUi();
        PostgresComponent postgres = new PostgresComponent(ports.postgres(),
                List.of("controlapi", "scheduler", "billing"));

        List<Component> components = List.of(
                postgres,
                new ExternalComponent("kafka", kafka,
                        l -> KafkaBroker.startDetached(l.data("kafka"), ports.kafka(), ports.kafkaController()).pid(),
                        () -> ManagedProcess.portOpen("127.0.0.1", ports.kafka())),
                new ExternalComponent("keycloak", keycloakUrl,
                        l -> KeycloakServer.startDetached(l.data("keycloak"), ports.keycloak()).pid(),
                        () -> ManagedProcess.http200(URI.create(issuer + "/.well-known/openid-configuration"))),
                new ExternalComponent("registry", registry,
                        l -> {
                            OciRegistry started = OciRegistry.startDetached(l.data("registry"), ports.registry());
                            DemoImage.pushTo(started.address());
                            return started.pid();
                        },
                        () -> ManagedProcess.http200(URI.create("http://" + registry + "/v2/"))),
                new QuarkusService("control-api", ports.controlApi(), Map.of(
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
                new NodeAgentService(ports.nodeAgent(), nodeState(layout), Map.ofEntries(
                        Map.entry("NANOFLEET_NODE_NAME", NODE_NAME),
                        Map.entry("NANOFLEET_NODE_CONTROL_API_URL", apiUrl),
                        Map.entry("NANOFLEET_NODE_STATE_DIR", nodeState(layout).toString()),
                        Map.entry("NANOFLEET_NODE_REGISTRY_TLS_VERIFY", "false"),
                        Map.entry("NANOFLEET_NODE_HARDWARE_ENABLED", "true"),
                        // shared with the tests and later platforms: the guest kernel is fetched once
                        Map.entry("NANOFLEET_NODE_HARDWARE_KERNEL_CACHE",
                                FleetHome.cache().resolve("guest-kernel").toString()),
                        // exec into instances: nf-exec as ./fleet builds it (deploy/exec-helper/build); empty
                        // (no exec on this node) while it is not built
                        Map.entry("NANOFLEET_NODE_EXEC_HELPER", execHelper()),
                        // where control-api reads instance logs: the address the agent registers from
                        Map.entry("NANOFLEET_NODE_AGENT_URL", "http://127.0.0.1:" + ports.nodeAgent())),
                        // the node joins with a join token ops makes once control-api is up (and keeps its credential)
                        new LocalNodeJoin(apiUrl, keycloakUrl, NODE_NAME, out)),
                new QuarkusService("tenant-billing", ports.billing(), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("billing"),
                        "QUARKUS_DATASOURCE_USERNAME", PostgresServer.USERNAME,
                        "QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD,
                        "QUARKUS_OIDC_AUTH_SERVER_URL", issuer,
                        "KAFKA_BOOTSTRAP_SERVERS", kafka,
                        // API tokens live in control-api: tenant-billing asks it who a token is
                        "NANOFLEET_BILLING_CONTROL_API_URL", apiUrl,
                        "NANOFLEET_PORTAL_ORIGINS", portalOrigins), "192m"),
                new QuarkusService("web-ui", ports.webUi(), Map.of(
                        "NANOFLEET_WEB_UI_API_URL", apiUrl,
                        "NANOFLEET_WEB_UI_BILLING_URL", billingUrl,
                        "NANOFLEET_WEB_UI_OIDC_ISSUER", issuer), "128m"));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("NANOFLEET_API_URL", apiUrl);
        env.put("NANOFLEET_OIDC_ISSUER", issuer);
        env.put("NANOFLEET_TOKEN_URL", issuer + "/protocol/openid-connect/token");
        env.put("NANOFLEET_REGISTRY", registry);
        env.put("NANOFLEET_DEMO_IMAGE", DemoImage.reference(registry));
        env.put("NANOFLEET_KAFKA", kafka);
        env.put("NANOFLEET_BILLING_URL", billingUrl);
        env.put("NANOFLEET_PORTAL_URL", "http://127.0.0.1:" + ports.webUi());
        env.put("NANOFLEET_NODE_AGENT_URL", "http://127.0.0.1:" + ports.nodeAgent());
        return new Platform(layout, components, env, out);
    }

    /** The exec helper in the fleet cache, or "" (unset) when it has not been built. */
    static String execHelper() {
        java.nio.file.Path helper = FleetHome.cache().resolve("exec-helper").resolve("nf-exec");
        return java.nio.file.Files.isExecutable(helper) ? helper.toString() : "";
    }
}
