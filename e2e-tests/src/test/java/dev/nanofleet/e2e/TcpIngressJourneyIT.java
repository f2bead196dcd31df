package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plain TCP port through the edge on the shared platform: bob publishes the demo image's port 8080 as {@code tcp},
 * control-api gives it an edge port, and a raw socket to the edge's address on that port reaches the replica (the
 * bytes go through untouched: the test speaks HTTP/1.0 by hand, as any TCP protocol would be spoken). Once the
 * deployment is deleted the edge port no longer reaches the app.
 */
class TcpIngressJourneyIT {

    private static SharedPlatform shared;
    private static KeycloakServer keycloak;

    @BeforeAll
    static void startThePlatform() throws Exception {
        shared = SharedPlatform.get();
        keycloak = shared.keycloak;
    }

    @Test
    void a_tcp_port_is_reached_on_its_edge_port_and_no_longer_once_the_deployment_is_deleted() throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String name = "tcp-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath created = given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("name", name, "image",
                shared.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1, "isolation", "shared",
                "resources", Map.of("cpuMillis", 100, "memoryMiB", 32),
                "ports", List.of(Map.of("containerPort", 8080, "protocol", "tcp"))))
                .post(shared.api + "/v1/deployments").then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        assertThat(created.getString("ports[0].protocol")).isEqualTo("tcp");
        int edgePort = created.getInt("ports[0].edgePort");
        // the platform's default range
        assertThat(edgePort).isBetween(20000, 20999);
        boolean deleted = false;
        try {
            String answer = Await.value(Duration.ofSeconds(180), name + " answering on edge port " + edgePort,
                    () -> exchange(edgePort).filter(a -> a.contains("Hello from Nanofleet")).orElse(null));
            // busybox httpd answers HTTP/1.1 to the 1.0 request; what matters is that its own answer came back whole
            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nHello from Nanofleet\n");
            // the edge port stays with the deployment: it is what the view still shows
            assertThat(given().auth().oauth2(bob).get(shared.api + "/v1/deployments/" + id).then().statusCode(200)
                    .extract().jsonPath().getInt("ports[0].edgePort")).isEqualTo(edgePort);

            given().auth().oauth2(bob).delete(shared.api + "/v1/deployments/" + id).then().statusCode(202);
            deleted = true;
            // deleted: the edge stops listening there (the connection is refused) once it has read the routes
            Await.until(Duration.ofSeconds(60), "edge port " + edgePort + " no longer reaching " + name,
                    () -> exchange(edgePort).filter(a -> a.contains("Hello from Nanofleet")).isEmpty());
        } finally {
            if (!deleted) {
                given().auth().oauth2(bob).delete(shared.api + "/v1/deployments/" + id).then().statusCode(202);
            }
        }
    }

    /** What the edge port answers to a hand-written HTTP/1.0 request; empty when it refuses or says nothing. */
    private static Optional<String> exchange(int edgePort) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", edgePort), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return answer.isEmpty() ? Optional.empty() : Optional.of(answer);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
