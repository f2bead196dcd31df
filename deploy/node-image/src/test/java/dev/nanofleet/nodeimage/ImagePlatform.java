package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.launcher.FleetPorts;
import dev.nanofleet.launcher.Layout;
import dev.nanofleet.launcher.LocalPlatform;
import dev.nanofleet.launcher.Platform;
import dev.nanofleet.testsupport.FleetHome;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.KeycloakServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane a booted image enrolls with: the local platform as {@code ./fleet up} runs it, on free ports, and
 * the operator's calls to its API. The guest reaches the host's loopback, where the platform listens, at 10.0.2.2.
 * Its data and logs are removed only after a passing test; a failure keeps them to read.
 */
final class ImagePlatform implements AutoCloseable {

    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"(nfj_[A-Za-z0-9_-]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Platform platform;
    final String api;
    final KeycloakServer keycloak;
    final String ops;
    private final Path home;
    private boolean passed;

    private ImagePlatform(Platform platform, Path home) {
        this.platform = platform;
        this.home = home;
        this.api = platform.environment().get("NANOFLEET_API_URL");
        String issuer = platform.environment().get("NANOFLEET_OIDC_ISSUER");
        this.keycloak = KeycloakServer.external(issuer.substring(0, issuer.indexOf("/realms/")));
        this.ops = keycloak.passwordToken("ops", "nanofleet");
    }

    static ImagePlatform start() throws Exception {
        HostTools.require("qemu-system-x86_64", "runc", "skopeo", "umoci", "docker-registry");
        // nf-exec, which the platform's own node agent needs (what ./fleet's ensure_exec_helper does; cached)
        Process helper = new ProcessBuilder(FleetHome.repoRoot().resolve("deploy/exec-helper/build").toString(),
                FleetHome.cache().resolve("exec-helper").toString()).inheritIO().start();
        assertThat(helper.waitFor()).as("deploy/exec-helper/build").isZero();
        Path home = Files.createTempDirectory("nanofleet-node-image-");
        Platform platform = LocalPlatform.create(new Layout(FleetHome.repoRoot(), home), FleetPorts.free(),
                System.out, 1);
        platform.up();
        return new ImagePlatform(platform, home);
    }

    /** control-api's URL as the guest calls it. */
    String guestApi() {
        return api.replace("127.0.0.1", "10.0.2.2").replace("localhost", "10.0.2.2");
    }

    /** A join token of one use, as an operator makes one for a new node. */
    String joinToken(String description) {
        HttpResponse<String> created = send("POST", "/v1/node-join-tokens",
                "{\"uses\": 1, \"ttlSeconds\": 3600, \"description\": \"" + description + "\"}");
        Matcher secret = SECRET.matcher(created.body());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(secret.find()).as("a join token secret in " + created.body()).isTrue();
        return secret.group(1);
    }

    /** A call to the API as the operator. */
    HttpResponse<String> send(String method, String path, String json) {
        return send(method, path, json, ops);
    }

    HttpResponse<String> send(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                // JSON from the API, text from a node's logs
                .header("Accept", "application/json, text/plain");
        request.method(method, json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("control-api at " + api + " unreachable: " + e, e);
        }
    }

    /** The test passed: the platform's data and logs may go. */
    void passed() {
        passed = true;
    }

    @Override
    public void close() {
        platform.down(passed);
        if (!passed) {
            System.out.println("[nanofleet] the platform's logs and data are kept in " + home);
        }
    }
}
