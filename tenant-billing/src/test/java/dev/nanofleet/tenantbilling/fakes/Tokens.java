package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.testsupport.KeycloakServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real access tokens from the test Keycloak (alice of tenant acme, bob of tenant globex, ops the operator), fetched
 * once per JVM and user.
 */
public final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    public static String user(String name) {
        return CACHE.computeIfAbsent(name, k -> KeycloakServer.shared().passwordToken(name, "nanofleet"));
    }

    public static String bearer(String name) {
        return "Bearer " + user(name);
    }
}
