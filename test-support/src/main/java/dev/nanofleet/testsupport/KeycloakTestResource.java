package dev.nanofleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The JVM's shared Keycloak (or the one at env {@code NANOFLEET_TEST_KEYCLOAK_URL}). Returns
 * {@code quarkus.oidc.auth-server-url} (the realm's issuer) and {@code nanofleet.test.keycloak-url}
 * (the base URL). Get tokens with {@code KeycloakServer.shared().passwordToken("alice", "nanofleet")}.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        KeycloakServer k = KeycloakServer.shared();
        return Map.of("quarkus.oidc.auth-server-url", k.issuer(), "nanofleet.test.keycloak-url", k.url());
    }

    @Override
    public void stop() {
        // the server is shared by the JVM and stopped on exit
    }
}
