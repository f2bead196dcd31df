package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.OciRegistry;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * docker-compose.yml as an operator runs it: {@code deploy/compose/compose up} builds (or reuses, when their inputs did
 * not change) the base image, the services' Jib images and the stand-ins for PostgreSQL, Kafka and Keycloak, starts
 * the project with podman-compose on free host ports and returns once every healthcheck passes; the tests then talk
 * to the published ports as a client would, a node agent on this host joins with a join token and runs a tenant's
 * deployment, and {@code down} removes it all.
 *
 * <p>
 * A long suite (the first run builds every image: about ten minutes on two cores), so it runs with
 * {@code -Dnanofleet.compose=true}, as {@code ./fleet compose it} passes it, not in every CI run;
 * {@code ./fleet compose check} runs the same checks from the shell.
 */
@EnabledIfSystemProperty(named = "nanofleet.compose", matches = "true")
class ComposeJourneyIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String PROJECT = "nanofleet-it";
    // images from scratch on two cores (Maven, Jib, mmdebstrap, Keycloak's first start) take most of this
    private static final Duration UP_DEADLINE = Duration.ofMinutes(20);
    private static final Map<String, String> ENV = Map.of("NANOFLEET_COMPOSE_PROJECT", PROJECT,
            "NANOFLEET_API_PORT", freePort(), "NANOFLEET_KEYCLOAK_PORT", freePort(), "NANOFLEET_BILLING_PORT",
            freePort(), "NANOFLEET_WEB_UI_PORT", freePort());

    private static boolean started;

    @BeforeAll
    static void compose_up() throws Exception {
        String missing = missingPrerequisite();
        if (missing != null) {
            String reason = "docker-compose.yml needs " + missing + ": skipping the compose journey";
            System.out.println("[ComposeJourneyIT] " + reason);
            if (HostTools.ci()) {
                throw new AssertionError(reason + " [CI=true: failing instead of skipping]");
            }
            Assumptions.abort(reason);
        }
        started = true;
        assertThat(compose("up", UP_DEADLINE)).as("deploy/compose/compose up (its log is above)").isZero();
    }

    @AfterAll
    static void compose_down() throws Exception {
        if (started) {
            assertThat(compose("down", Duration.ofMinutes(3))).as("deploy/compose/compose down").isZero();
        }
    }

    @Test
    void an_unauthenticated_request_is_refused_with_401() {
        given().get(api() + "/v1/deployments").then().statusCode(401);
    }

    @Test
    void a_tenant_lists_her_deployments_with_a_token_from_the_composed_keycloak() {
        String token = keycloak().passwordToken("alice", "nanofleet");
        given().auth().oauth2(token).get(api() + "/v1/deployments").then().statusCode(200);
    }

    @Test
    void the_operator_creates_a_node_join_token() {
        String token = keycloak().passwordToken("ops", "nanofleet");
        String secret = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("description", "compose journey")).post(api() + "/v1/node-join-tokens").then()
                .statusCode(201).extract().path("secret");
        assertThat(secret).startsWith("nfj_");
    }

    @Test
    void tenant_billing_and_the_portal_answer_on_their_published_ports() {
        given().get("http://127.0.0.1:" + ENV.get("NANOFLEET_BILLING_PORT") + "/q/health/ready").then()
                .statusCode(200);
        given().get("http://127.0.0.1:" + ENV.get("NANOFLEET_WEB_UI_PORT") + "/").then().statusCode(200);
    }

    @Test
    void a_node_agent_on_the_host_joins_with_a_join_token_and_runs_a_tenants_deployment() throws Exception {
        String ops = keycloak().passwordToken("ops", "nanofleet");
        String joinToken = given().auth().oauth2(ops).contentType(ContentType.JSON)
                .body(Map.of("description", "compose journey: host node agent")).post(api() + "/v1/node-join-tokens")
                .then().statusCode(201).extract().path("secret");
        String node = "compose-host-" + UUID.randomUUID().toString().substring(0, 6);
        // a cgroup parent of its own: the agent never meets another platform's containers on this host
        try (OciRegistry registry = OciRegistry.startEphemeral();
                HostNodeAgent agent = HostNodeAgent.start(ROOT, node, api(), joinToken,
                        Map.of("NANOFLEET_NODE_REGISTRY_TLS_VERIFY", "false", "NANOFLEET_NODE_HARDWARE_ENABLED",
                                "false", "NANOFLEET_NODE_RUNTIME_CGROUP_PARENT", "nanofleet-compose-it"))) {
            String image = DemoImage.pushTo(registry);
            try {
                Await.until(Duration.ofMinutes(3), "node " + node + " to join the composed control plane",
                        () -> given().auth().oauth2(ops).get(api() + "/v1/nodes").then().statusCode(200).extract()
                                .jsonPath().getList("name").contains(node));
                String bob = keycloak().passwordToken("bob", "nanofleet");
                String id = given().auth().oauth2(bob).contentType(ContentType.JSON)
                        .body(Map.of("name", "on-the-host-node", "image", image, "replicas", 1, "isolation", "shared",
                                "resources", Map.of("cpuMillis", 250, "memoryMiB", 64)))
                        .post(api() + "/v1/deployments").then().statusCode(201).extract().path("id");
                Await.untilAsserted(Duration.ofMinutes(4), "bob's instance to run on " + node, () -> {
                    var instance = given().auth().oauth2(bob).get(api() + "/v1/deployments/" + id).then()
                            .statusCode(200).extract().jsonPath();
                    assertThat(instance.getString("instances[0].node") + " "
                            + instance.getString("instances[0].state")).isEqualTo(node + " running");
                });
                assertThat(agent.containers()).hasSize(1);
                given().auth().oauth2(bob).delete(api() + "/v1/deployments/" + id).then().statusCode(202);
                Await.until(Duration.ofMinutes(2), "the host's node to remove bob's deleted container",
                        () -> agent.containers().isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe host agent's last lines:\n" + agent.logTail(30), e);
            } finally {
                given().auth().oauth2(ops).delete(api() + "/v1/nodes/" + node);
            }
        }
    }

    private static String api() {
        return "http://127.0.0.1:" + ENV.get("NANOFLEET_API_PORT");
    }

    private static KeycloakServer keycloak() {
        // Keycloak names localhost in its tokens (KC_HOSTNAME); asking through localhost keeps one issuer
        return KeycloakServer.external("http://localhost:" + ENV.get("NANOFLEET_KEYCLOAK_PORT"));
    }

    /** Runs deploy/compose/compose with this test's project and ports; its output goes to this test's output. */
    private static int compose(String command, Duration deadline) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("deploy/compose/compose").toString(), command));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).inheritIO();
        pb.environment().putAll(ENV);
        pb.environment().put("NANOFLEET_KEYCLOAK_URL", "http://localhost:" + ENV.get("NANOFLEET_KEYCLOAK_PORT"));
        Process p = pb.start();
        if (!p.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new AssertionError("deploy/compose/compose " + command + " did not finish within " + deadline);
        }
        return p.exitValue();
    }

    /** What podman-compose needs on this host, or null if it is all there (the script installs packages as root). */
    private static String missingPrerequisite() {
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            return "podman (apt-get install podman podman-compose)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "root (mmdebstrap and podman's settings)";
        }
        return null;
    }

    private static String freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return Integer.toString(s.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
