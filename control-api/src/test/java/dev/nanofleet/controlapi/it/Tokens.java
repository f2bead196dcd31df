package dev.nanofleet.controlapi.it;

import dev.nanofleet.testsupport.KeycloakServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real access tokens from the test Keycloak, fetched once per JVM and identity. */
final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    static String user(String name) {
        return CACHE.computeIfAbsent("user:" + name, k -> KeycloakServer.shared().passwordToken(name, "nanofleet"));
    }

    static String node(String node) {
        return CACHE.computeIfAbsent("node:" + node,
                k -> KeycloakServer.shared().clientToken("nanofleet-node-" + node, "node-" + node + "-secret"));
    }
}
