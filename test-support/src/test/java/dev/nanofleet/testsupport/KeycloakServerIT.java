package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realm, read from a Keycloak started the launcher's way (detached, fixed data directory, stopped by PID): one
 * start serves both, since a start costs about a minute. The JVM-shared start ({@link KeycloakServer#shared()}) is what
 * every service module's ITs use.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakServerIT {

    @TempDir
    static Path dir;
    static int port;
    static KeycloakServer keycloak;

    @BeforeAll
    static void start() {
        long start = System.nanoTime();
        port = Ports.free();
        keycloak = KeycloakServer.startDetached(dir.resolve("keycloak"), port);
        System.err.printf("Keycloak started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void serves_the_realm_on_the_port_it_was_given() {
        assertThat(keycloak.issuer()).isEqualTo("http://127.0.0.1:" + port + "/realms/nanofleet");
    }

    @Test
    void alice_is_a_tenant_user_of_acme_and_her_token_carries_no_trust_which_control_api_keeps() {
        JsonNode c = KeycloakServer.claimsJson(keycloak.passwordToken("alice", "nanofleet"));
        assertThat(c.path("iss").asText()).isEqualTo(keycloak.issuer()).startsWith("http://127.0.0.1:");
        assertThat(c.path("tenant").asText()).isEqualTo("acme");
        assertThat(c.has("tenant_trust")).isFalse();
        assertThat(roles(c)).contains("tenant");
        assertThat(c.path("preferred_username").asText()).isEqualTo("alice");
        assertThat(c.path("exp").asLong() - c.path("iat").asLong()).isEqualTo(3600);
    }

    @Test
    void bob_is_a_tenant_user_of_globex() {
        JsonNode c = KeycloakServer.claimsJson(keycloak.passwordToken("bob", "nanofleet"));
        assertThat(c.path("tenant").asText()).isEqualTo("globex");
        assertThat(roles(c)).contains("tenant");
    }

    @Test
    void ops_is_an_operator_without_tenant() {
        JsonNode c = KeycloakServer.claimsJson(keycloak.passwordToken("ops", "nanofleet"));
        assertThat(roles(c)).contains("operator").doesNotContain("tenant");
        assertThat(c.has("tenant_trust")).isFalse();
        assertThat(c.has("tenant")).isFalse();
    }

    @Test
    void the_realm_has_no_node_identities_nodes_enroll_with_control_api_instead() {
        JsonNode realm = KeycloakServer.claimsJson(keycloak.passwordToken("ops", "nanofleet"));
        assertThat(roles(realm)).doesNotContain("node");
        assertThatThrownBy(() -> keycloak.clientToken("nanofleet-node-local-1", "node-local-1-secret"))
                .isInstanceOf(KeycloakServer.TokenException.class);
    }

    @Test
    void rejects_a_wrong_password_and_a_wrong_secret() {
        assertThatThrownBy(() -> keycloak.passwordToken("alice", "wrong")).isInstanceOfSatisfying(
                KeycloakServer.TokenException.class,
                e -> {
                    // OAuth 2.0: a failed password grant is 400 invalid_grant
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.body()).contains("invalid_grant");
                });
        assertThatThrownBy(() -> keycloak.clientToken("nanofleet-control-api", "wrong"))
                .isInstanceOfSatisfying(KeycloakServer.TokenException.class,
                        e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the others use the server
    void stops_by_pid_and_keeps_its_log_and_database() {
        assertThat(ManagedProcess.stop(keycloak.pid(), Duration.ofSeconds(30))).isTrue();
        assertThat(Ports.inUse(port)).isFalse();
        assertThat(dir.resolve("keycloak/keycloak.log")).exists();
        assertThat(dir.resolve("keycloak/h2")).isDirectory();
    }

    private static java.util.List<String> roles(JsonNode claims) {
        java.util.List<String> roles = new java.util.ArrayList<>();
        claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
        return roles;
    }
}
