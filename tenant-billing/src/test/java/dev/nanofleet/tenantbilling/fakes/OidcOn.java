package dev.nanofleet.tenantbilling.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Turns Keycloak token checks on for a test that runs beside {@code KeycloakTestResource} (which gives the issuer).
 * The test profile keeps them off, so tests without Keycloak start: OIDC configured without an issuer stops start-up.
 */
public class OidcOn implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.oidc.tenant-enabled", "true");
    }

    @Override
    public void stop() {
        // nothing started
    }
}
