package dev.nanofleet.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Keycloak with the development realm {@code nanofleet} (deploy/keycloak/nanofleet-realm.json),
 * always addressed as {@code http://127.0.0.1:PORT} (the token issuer follows the host name).
 *
 * <p>
 * {@link #shared()} uses the Keycloak at env {@code NANOFLEET_TEST_KEYCLOAK_URL} when set (realm
 * already imported), else starts {@code kc.sh start-dev --import-realm} from
 * {@code .fleet/tools/keycloak-VERSION} once per JVM with a fresh H2 database (so the realm file is
 * always imported anew) and stops it on JVM exit. Starts from the shared distribution directory are
 * serialized across JVMs with a file lock, because Keycloak's build step writes into its lib/.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "nanofleet";
    public static final String CLI_CLIENT = "nanofleet-cli";
    public static final String PORTAL_CLIENT = "nanofleet-portal";
    public static final String ENV_URL = "NANOFLEET_TEST_KEYCLOAK_URL";
    /**
     * Generous on purpose: the first start from a fresh distribution runs Keycloak's build step (~66 s on an idle
     * 2-core machine), and a loaded machine was seen to need more than 180 s.
     */
    public static final Duration START_DEADLINE = Duration.ofSeconds(360);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Object START_LOCK = new Object();
    private static KeycloakServer shared;

    private final String url;
    private final ManagedProcess process;
    private final Path dataDir;
    private final boolean ephemeral;

    private KeycloakServer(String url, ManagedProcess process, Path dataDir, boolean ephemeral) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.process = process;
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
    }

    /** The Keycloak for this JVM: env {@value #ENV_URL} if set, else one started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            KeycloakServer[] started = new KeycloakServer[1];
            String url = JvmShared.get("nanofleet.shared.keycloak-url", () -> {
                String external = System.getenv(ENV_URL);
                started[0] = external != null && !external.isBlank() ? external(external) : startEphemeral();
                return started[0].url();
            });
            // started by another class loader of this JVM: use it, do not own it
            shared = started[0] != null ? started[0] : new KeycloakServer(url, null, null, false);
        }
        return shared;
    }

    /** A Keycloak someone else runs, with the nanofleet realm imported; waits for its realm to answer. */
    public static KeycloakServer external(String url) {
        KeycloakServer k = new KeycloakServer(url, null, null, false);
        Await.until(START_DEADLINE, "the nanofleet realm at " + k.wellKnown(),
                () -> ManagedProcess.http200(k.wellKnown()));
        return k;
    }

    /** A fresh Keycloak on a random port with a throw-away database, stopped on JVM exit. */
    public static KeycloakServer startEphemeral() {
        try {
            Path dir = Files.createTempDirectory("nanofleet-keycloak-");
            KeycloakServer k = start(dir, Ports.free(), false, true);
            Runtime.getRuntime().addShutdownHook(new Thread(k::closeQuietly, "stop-keycloak"));
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Keycloak that survives this JVM (for the launcher): its H2 database and log
     * ({@code keycloak.log}) live in {@code dataDir}; the realm is imported when the database does not
     * have it yet. Record {@link #pid()}; stop with {@link ManagedProcess#stop(long, Duration)}.
     */
    public static KeycloakServer startDetached(Path dataDir, int port) {
        return start(dataDir.toAbsolutePath(), port, true, false);
    }

    private static KeycloakServer start(Path dataDir, int port, boolean detached, boolean ephemeral) {
        Path dist = FleetHome.keycloakDist();
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            synchronized (START_LOCK) {
                try (FileChannel ch = FileChannel.open(dist.resolve(".nanofleet-start.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = lockWithMessage(ch, dist)) {
                    installRealm(dist);
                    ManagedProcess p = ManagedProcess
                            .builder("keycloak", dist.resolve("bin/kc.sh").toString(), "start-dev",
                                    "--http-port=" + port,
                                    "--http-host=127.0.0.1", "--import-realm")
                            .directory(dataDir).log(dataDir.resolve("keycloak.log")).appendLog(!ephemeral)
                            .detached(detached)
                            .env("JAVA_HOME", FleetHome.javaHome().toString())
                            .env("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m")
                            // the master realm's admin console, for local development only
                            .env("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
                            .env("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin")
                            .env("KC_DB", "dev-file")
                            .env("KC_DB_URL",
                                    "jdbc:h2:file:" + dataDir.resolve("h2/keycloakdb")
                                            + ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE")
                            .env("JAVA_OPTS_APPEND", "-Dquarkus.transaction-manager.object-store.directory="
                                    + dataDir.resolve("transaction-logs"))
                            .unsetEnv("KC_HOSTNAME")
                            .start();
                    KeycloakServer k = new KeycloakServer("http://127.0.0.1:" + port, p, dataDir, ephemeral);
                    try {
                        p.awaitHttp200(k.wellKnown(), START_DEADLINE);
                    } catch (RuntimeException e) {
                        k.close();
                        throw e;
                    }
                    System.err.printf("[nanofleet] Keycloak ready at %s in %d ms (pid %d, log %s)%n", k.url,
                            Duration.ofNanos(System.nanoTime() - started).toMillis(), p.pid(), p.log());
                    return k;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + dist, e);
        }
    }

    private static FileLock lockWithMessage(FileChannel ch, Path dist) throws IOException {
        FileLock lock = ch.tryLock();
        if (lock == null) {
            System.err.println("[nanofleet] another process is starting Keycloak from " + dist + "; waiting for it");
            lock = ch.lock();
        }
        return lock;
    }

    /** Copies the realm JSON into the distribution's data/import (atomically). */
    private static void installRealm(Path dist) throws IOException {
        Path importDir = Files.createDirectories(dist.resolve("data/import"));
        Path tmp = Files.createTempFile(importDir, ".realm-", ".tmp");
        try (InputStream in = realmJson()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, importDir.resolve("nanofleet-realm.json"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The realm file: deploy/keycloak/nanofleet-realm.json in the checkout, else the copy in this jar. */
    public static InputStream realmJson() throws IOException {
        try {
            Path f = FleetHome.repoRoot().resolve("deploy/keycloak/nanofleet-realm.json");
            if (Files.isRegularFile(f)) {
                return Files.newInputStream(f);
            }
        } catch (IllegalStateException e) {
            // no checkout: use the jar's copy
        }
        InputStream in = KeycloakServer.class.getResourceAsStream("nanofleet-realm.json");
        if (in == null) {
            throw new IOException("nanofleet-realm.json found neither in the checkout nor on the class path");
        }
        return in;
    }

    public String url() {
        return url;
    }

    public String issuer() {
        return url + "/realms/" + REALM;
    }

    public URI wellKnown() {
        return URI.create(issuer() + "/.well-known/openid-configuration");
    }

    public URI tokenEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    /** The PID of the Keycloak process, or -1 for an external one. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** An access token for a user via the password grant of {@value #CLI_CLIENT}. */
    public String passwordToken(String username, String password) {
        return accessToken(
                Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", username, "password", password));
    }

    /** An access token for a confidential client via the client-credentials grant. */
    public String clientToken(String clientId, String secret) {
        return accessToken(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** POSTs {@code form} to the token endpoint; returns the access token or throws {@link TokenException}. */
    public String accessToken(Map<String, String> form) {
        return accessTokenFrom(tokenEndpoint(), form);
    }

    private static String accessTokenFrom(URI endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new TokenException(r.statusCode(), r.body());
            }
            return JSON.readTree(r.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("token request to " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Plays a new user's first sign-in, as Keycloak's pages would have them do it: choose a password, fill in the
     * profile (names, and an e-mail address where the operator gave none), and so clear the required actions (UPDATE_PASSWORD, and VERIFY_PROFILE for a user made without names).
     * Uses the master realm's development admin, which only test and launcher Keycloaks have.
     */
    public void completeFirstSignIn(String username, String newPassword) {
        String admin = accessTokenFrom(URI.create(url + "/realms/master/protocol/openid-connect/token"),
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
        String users = url + "/admin/realms/" + REALM + "/users";
        JsonNode found = send(admin, "GET", users + "?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8), null, 200);
        if (!found.isArray() || found.isEmpty()) {
            throw new IllegalArgumentException("no user " + username + " in realm " + REALM);
        }
        String user = users + "/" + found.get(0).get("id").asText();
        send(admin, "PUT", user + "/reset-password", JSON.createObjectNode().put("type", "password")
                .put("value", newPassword).put("temporary", false), 204);
        JsonNode profile = send(admin, "GET", user, null, 200);
        ((com.fasterxml.jackson.databind.node.ObjectNode) profile).put("firstName",
                profile.path("firstName").asText(username)).put("lastName", profile.path("lastName").asText("User"))
                .put("email", profile.path("email").asText(username + "@users.example"))
                .putArray("requiredActions");
        send(admin, "PUT", user, profile, 204);
    }

    private JsonNode send(String bearer, String method, String uri, JsonNode body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + uri + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The claims of a JWT (payload decoded, signature not verified). */
    public static Map<String, Object> claims(String jwt) {
        return JSON.convertValue(claimsJson(jwt), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    /** The claims of a JWT as a JSON tree (payload decoded, signature not verified). */
    public static JsonNode claimsJson(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a JWT");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new IllegalArgumentException("JWT payload is not JSON", e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("[nanofleet] could not stop Keycloak: " + e);
        }
    }

    /** Stops a Keycloak this object started (nothing for an external one). */
    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(15));
            if (ephemeral) {
                Files2.deleteRecursively(dataDir);
            }
        }
    }

    /** A token request Keycloak refused. */
    public static final class TokenException extends RuntimeException {
        private final int status;
        private final String body;

        public TokenException(int status, String body) {
            super("token request refused: HTTP " + status + " " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }
}
