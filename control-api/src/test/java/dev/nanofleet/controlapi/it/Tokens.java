package dev.nanofleet.controlapi.it;

import static io.restassured.RestAssured.given;

import dev.nanofleet.nodeapi.NodeApi;
import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real credentials, fetched once per JVM and identity: people's access tokens from the test Keycloak, and node
 * credentials from control-api itself, enrolled through its API as an agent would (ops makes a join token, the node
 * trades it for its credential).
 */
final class Tokens {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {
    }

    static String user(String name) {
        return CACHE.computeIfAbsent("user:" + name, k -> KeycloakServer.shared().passwordToken(name, "nanofleet"));
    }

    /**
     * The node's credential in the running control-api. Each test class with resources of its own gets a database of
     * its own, so credentials are kept per database.
     */
    static String node(String node) {
        String database = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String key = "node:" + database + ":" + node;
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        String credential = enroll(node, joinToken(1));
        CACHE.put(key, credential);
        return credential;
    }

    /** A new join token made by ops, with this many uses. */
    static String joinToken(int uses) {
        return given().auth().oauth2(user("ops")).contentType(ContentType.JSON)
                .body(Map.of("uses", uses, "ttlSeconds", 600)).post("/v1/node-join-tokens").then().statusCode(201)
                .extract().path("secret");
    }

    /** The credential the node gets for the join token. */
    static String enroll(String node, String joinToken) {
        return given().contentType(ContentType.JSON).body(Map.of("joinToken", joinToken, "name", node))
                .post(NodeApi.ENROLLMENTS).then().statusCode(201).extract().path("credential");
    }
}
