package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.TestCertificates;
import dev.nanofleet.testsupport.KeycloakServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment's URL through the edge (HAProxy driven by the edge service from control-api's routes and Kafka's
 * events): bob's two shared-kernel replicas answer at {@code https://<name>-globex.apps.localhost:<edge port>/} over
 * TLS signed by the local CA, a replica scaled away stops receiving requests without a failed request, and a deleted
 * deployment's hostname answers the 503 page; a rolling update of bob's deployment from shared-kernel replicas to VMs
 * fails no request at its URL; alice's hardware-isolated replica (a VM) answers at its URL as well.
 * Each replica of bob's serves its own hostname ({@code i-<instance id prefix>}), so the answers tell them apart.
 */
class IngressJourneyIT {

    private static SharedPlatform shared;
    private static KeycloakServer keycloak;
    private static HttpClient https;

    @BeforeAll
    static void startThePlatform() throws Exception {
        shared = SharedPlatform.get();
        keycloak = shared.keycloak;
        // the local CA for the apps domain; the test CA for the custom domain a tenant brings
        https = HttpClient.newBuilder().sslContext(trusting(
                Files.readString(Path.of(shared.environment().get("NANOFLEET_EDGE_CA"))),
                TestCertificates.CA.certificate())).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void two_replicas_answer_at_the_deployments_url_one_scaled_away_fails_no_request_and_deleted_answers_503()
            throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String name = "ingress-" + UUID.randomUUID().toString().substring(0, 6);
        String id = given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("name", name, "image",
                shared.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 2, "isolation", "shared",
                "resources", Map.of("cpuMillis", 100, "memoryMiB", 32),
                "ports", List.of(Map.of("containerPort", 8080)),
                // each replica serves its hostname (i-<first 8 characters of its id>) instead of the demo page
                "command", List.of("/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /tmp/site && "
                        + "/bin/busybox hostname > /tmp/site/index.html && "
                        + "exec /bin/busybox httpd -f -p 8080 -h /tmp/site")))
                .post(shared.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        URI url = URI.create("https://" + name + "-globex." + shared.environment().get("NANOFLEET_APPS_DOMAIN") + ":"
                + shared.environment().get("NANOFLEET_EDGE_PORT") + "/");

        JsonPath running = Await.value(Duration.ofSeconds(180), "both replicas of " + name + " running", () -> {
            JsonPath d = given().auth().oauth2(bob).get(shared.api + "/v1/deployments/" + id).then().statusCode(200)
                    .extract().jsonPath();
            List<String> states = d.getList("instances.state");
            return states.size() == 2 && states.stream().allMatch("running"::equals) ? d : null;
        });
        Set<String> replicas = Set.of(hostnameOf(running.getString("instances[0].id")),
                hostnameOf(running.getString("instances[1].id")));

        // both replicas answer through the edge, over TLS checked against the local CA
        Set<String> answered = new HashSet<>();
        Await.until(Duration.ofSeconds(60), "both replicas of " + name + " answering at " + url, () -> {
            HttpResponse<String> response = get(url);
            if (response != null && response.statusCode() == 200) {
                answered.add(response.body().strip());
            }
            return answered.containsAll(replicas);
        });
        assertThat(answered).isEqualTo(replicas);

        // scaled to one while requests flow: none fails, and then only the remaining replica answers
        List<String> during = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        AtomicBoolean flowing = new AtomicBoolean(true);
        Thread load = Thread.ofPlatform().name("ingress-load").start(() -> {
            while (flowing.get()) {
                HttpResponse<String> response = get(url);
                during.add(response == null ? "no answer" : response.statusCode() + " " + response.body().strip());
            }
        });
        try {
            given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("replicas", 1))
                    .patch(shared.api + "/v1/deployments/" + id).then().statusCode(200);
            String remaining = Await.value(Duration.ofSeconds(120), "one replica of " + name + " left running", () -> {
                JsonPath d = given().auth().oauth2(bob).get(shared.api + "/v1/deployments/" + id).then()
                        .statusCode(200).extract().jsonPath();
                List<String> live = d.getList("instances.findAll { it.state == 'running' }.id");
                return live.size() == 1 ? live.getFirst() : null;
            });
            String stays = hostnameOf(remaining);
            // the API says "stopping" as soon as the node begins to stop it; the edge serves one backend once its
            // next pass has read that (and the replica still answers meanwhile: its stop has a grace period)
            String hostname = url.getHost();
            Await.until(Duration.ofSeconds(30), "the edge serving one backend for " + hostname,
                    () -> given().get("http://127.0.0.1:" + shared.ports.edge() + "/v1/routes").then()
                            .statusCode(200).extract().jsonPath()
                            .getList("find { it.hostname == '" + hostname + "' }.backends").size() == 1);
            // the node drains the scaled-away replica before it stops it (nanofleet.node.stop.drain-delay), and
            // meanwhile it still answers requests on keep-alive connections the old HAProxy worker holds
            Await.until(Duration.ofSeconds(60), "the scaled-away replica of " + name + " stopped after its drain",
                    () -> {
                        List<String> others = given().auth().oauth2(bob).get(shared.api + "/v1/deployments/" + id)
                                .then().statusCode(200).extract().jsonPath()
                                .getList("instances.findAll { it.id != '" + remaining + "' }.state");
                        return !others.isEmpty() && others.stream().allMatch("stopped"::equals);
                    });
            int seen = during.size();
            Await.until(Duration.ofSeconds(30), "20 answers after the scaled-away replica stopped",
                    () -> during.size() >= seen + 20);
            List<String> after = List.copyOf(during);
            // a keep-alive connection the old HAProxy worker held may answer once more before it closes
            assertThat(after.subList(seen + 5, after.size())).as("answers once the scaled-away replica stopped")
                    .allMatch(a -> a.equals("200 " + stays));
        } finally {
            flowing.set(false);
            load.join();
        }
        assertThat(List.copyOf(during)).as("every answer while the deployment scaled down").isNotEmpty()
                .allMatch(a -> a.startsWith("200 "));

        // deleted: the hostname answers the 503 page
        given().auth().oauth2(bob).delete(shared.api + "/v1/deployments/" + id).then().statusCode(202);
        HttpResponse<String> gone = Await.value(Duration.ofSeconds(60), name + " answering 503", () -> {
            HttpResponse<String> response = get(url);
            return response != null && response.statusCode() == 503 ? response : null;
        });
        assertThat(gone.body()).contains("no replica serves this address");
        assertThat(gone.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "text/html"));
    }

    @Test
    void a_rolling_update_from_shared_kernel_to_vms_fails_no_request_at_the_url() throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String name = "ingress-roll-" + UUID.randomUUID().toString().substring(0, 6);
        String id = given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("name", name, "image",
                shared.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 2, "isolation", "shared",
                "resources", Map.of("cpuMillis", 100, "memoryMiB", 64),
                "ports", List.of(Map.of("containerPort", 8080))))
                .post(shared.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        URI url = URI.create("https://" + name + "-globex." + shared.environment().get("NANOFLEET_APPS_DOMAIN") + ":"
                + shared.environment().get("NANOFLEET_EDGE_PORT") + "/");
        List<String> during = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        AtomicBoolean flowing = new AtomicBoolean(true);
        Thread load = null;
        try {
            Await.until(Duration.ofSeconds(180), name + " answering at " + url, () -> {
                HttpResponse<String> response = get(url);
                return response != null && response.statusCode() == 200;
            });
            load = Thread.ofPlatform().name("ingress-roll-load").start(() -> {
                while (flowing.get()) {
                    HttpResponse<String> response = get(url);
                    during.add(response == null
                            ? "no answer"
                            : response.statusCode() + " " + response.body()
                                    .strip());
                }
            });

            // the same image, now in VMs: a new revision that rolls replica by replica
            given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("isolation", "hardware"))
                    .patch(shared.api + "/v1/deployments/" + id).then().statusCode(200);
            JsonPath rolled = Await.value(Duration.ofSeconds(300), name + " rolled to two running VMs", () -> {
                JsonPath d = given().auth().oauth2(bob).get(shared.api + "/v1/deployments/" + id).then()
                        .statusCode(200).extract().jsonPath();
                List<String> running = d.getList("instances.findAll { it.state == 'running' }.isolation");
                // the old replicas stay listed once stopped (their logs stay readable), so count the running ones
                return "complete".equals(d.getString("rollout.state")) && running.size() == 2
                        && running.stream().allMatch("hardware"::equalsIgnoreCase) ? d : null;
            });
            assertThat(rolled.getInt("rollout.revision")).isEqualTo(2);
            // the edge serves the two VMs alone once its next pass has read the last old replica away
            String hostname = url.getHost();
            Await.until(Duration.ofSeconds(30), "the edge serving the two VMs of " + hostname, () -> {
                List<Integer> ports = given().get("http://127.0.0.1:" + shared.ports.edge() + "/v1/routes").then()
                        .statusCode(200).extract().jsonPath()
                        .getList("find { it.hostname == '" + hostname + "' }.backends.port");
                return ports.size() == 2
                        && ports.containsAll(rolled.getList(
                                "instances.findAll { it.state == 'running' }.collect { it.network.ports[0].hostPort }"));
            });
            int seen = during.size();
            Await.until(Duration.ofSeconds(30), "20 answers from the VMs", () -> during.size() >= seen + 20);
        } finally {
            flowing.set(false);
            if (load != null) {
                load.join();
            }
            given().auth().oauth2(bob).delete(shared.api + "/v1/deployments/" + id).then().statusCode(202);
        }
        assertThat(List.copyOf(during)).as("every answer while the deployment rolled to VMs").isNotEmpty()
                .allMatch(a -> a.equals("200 Hello from Nanofleet"));
    }

    @Test
    void an_untrusted_tenants_vm_answers_at_its_url_too() throws Exception {
        String alice = keycloak.passwordToken("alice", "nanofleet");
        String name = "ingress-vm-" + UUID.randomUUID().toString().substring(0, 6);
        String id = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("name", name, "image",
                shared.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1, "isolation", "auto",
                "resources", Map.of("cpuMillis", 250, "memoryMiB", 64),
                "ports", List.of(Map.of("containerPort", 8080))))
                .post(shared.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        URI url = URI.create("https://" + name + "-acme." + shared.environment().get("NANOFLEET_APPS_DOMAIN") + ":"
                + shared.environment().get("NANOFLEET_EDGE_PORT") + "/");
        try {
            HttpResponse<String> answer = Await.value(Duration.ofSeconds(180), name + " answering at " + url, () -> {
                HttpResponse<String> response = get(url);
                return response != null && response.statusCode() == 200 ? response : null;
            });

            assertThat(answer.body()).isEqualTo("Hello from Nanofleet\n");
            assertThat(given().auth().oauth2(alice).get(shared.api + "/v1/deployments/" + id).then().statusCode(200)
                    .extract().path("instances[0].isolation").toString()).isEqualToIgnoringCase("hardware");
        } finally {
            given().auth().oauth2(alice).delete(shared.api + "/v1/deployments/" + id).then().statusCode(202);
        }
    }

    @Test
    void a_custom_domain_answers_with_the_tenants_own_certificate_until_it_is_detached() throws Exception {
        String bob = keycloak.passwordToken("bob", "nanofleet");
        String name = "ingress-cd-" + UUID.randomUUID().toString().substring(0, 6);
        String id = given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("name", name, "image",
                shared.environment().get("NANOFLEET_DEMO_IMAGE"), "replicas", 1, "isolation", "shared",
                "resources", Map.of("cpuMillis", 100, "memoryMiB", 32),
                "ports", List.of(Map.of("containerPort", 8080))))
                .post(shared.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        // a name the test certificate covers (*.shop.example.test); it resolves to loopback (LocalhostResolver)
        String host = name + ".shop.example.test";
        URI url = URI.create("https://" + host + ":" + shared.environment().get("NANOFLEET_EDGE_PORT") + "/");
        try {
            given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("hostname", host, "certificate",
                    TestCertificates.SHOP.certificate(), "privateKey", TestCertificates.SHOP.privateKey()))
                    .post(shared.api + "/v1/deployments/" + id + "/domains").then().statusCode(201);

            // the handshake checks the tenant's certificate (signed by the test CA) against the name
            HttpResponse<String> answer = Await.value(Duration.ofSeconds(180), name + " answering at " + url, () -> {
                HttpResponse<String> response = get(url);
                return response != null && response.statusCode() == 200 ? response : null;
            });
            assertThat(answer.body()).isEqualTo("Hello from Nanofleet\n");

            given().auth().oauth2(bob).delete(shared.api + "/v1/deployments/" + id + "/domains/" + host).then()
                    .statusCode(204);
            // detached: the edge no longer has a certificate for the name, so no handshake completes
            Await.until(Duration.ofSeconds(60), host + " no longer served", () -> get(url) == null);
        } finally {
            given().auth().oauth2(bob).delete(shared.api + "/v1/deployments/" + id).then().statusCode(202);
        }
    }

    @Test
    void a_tenant_may_not_read_the_edges_routes() {
        String alice = keycloak.passwordToken("alice", "nanofleet");

        given().auth().oauth2(alice).get(shared.api + "/v1/edge/routes").then().statusCode(403)
                .contentType("application/problem+json");
    }

    /** The answer, or null when there was none (refused, reset, timed out): a failed request. */
    private static HttpResponse<String> get(URI url) {
        try {
            return https.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The hostname the node agent gives a replica's container: {@code i-} and the first 8 characters of its id. */
    private static String hostnameOf(String instanceId) {
        return "i-" + instanceId.substring(0, 8);
    }

    private static SSLContext trusting(String... caCertificates) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (int i = 0; i < caCertificates.length; i++) {
            try (InputStream in = new java.io.ByteArrayInputStream(
                    caCertificates[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                trust.setCertificateEntry("ca-" + i, CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
