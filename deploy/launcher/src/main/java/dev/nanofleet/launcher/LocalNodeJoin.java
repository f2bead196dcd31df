package dev.nanofleet.launcher;

import dev.nanofleet.testsupport.KeycloakServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the local node joins: as an operator would, the launcher signs in as the demo operator {@code ops} (password
 * grant of the public {@code nanofleet-cli} client, as the CLI does) and makes a join token for it; the agent enrolls
 * with it and keeps its credential in its state directory ({@code node-credential}), so later {@code up}s need no
 * token. A stored credential control-api refuses (the node was removed, or control-api's database is new) is dropped
 * and the node joins again.
 */
final class LocalNodeJoin {

    /** node-agent's {@code NodeCredential.FILE}: change both together. */
    static final String CREDENTIAL_FILE = "node-credential";
    /** Long enough for an agent's first start (it may fetch its guest kernel before it enrolls), short otherwise. */
    static final Duration TOKEN_TTL = Duration.ofMinutes(30);

    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"(nfj_[A-Za-z0-9_-]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String apiUrl;
    private final String keycloakUrl;
    private final String nodeName;
    private final PrintStream out;

    LocalNodeJoin(String apiUrl, String keycloakUrl, String nodeName, PrintStream out) {
        this.apiUrl = apiUrl;
        this.keycloakUrl = keycloakUrl;
        this.nodeName = nodeName;
        this.out = out;
    }

    /** The join token the agent needs, or empty when the credential it stored still works. */
    Optional<String> joinToken(Path stateDir) {
        Path credential = stateDir.resolve(CREDENTIAL_FILE);
        if (Files.exists(credential)) {
            int status = send("GET", "/v1/node-api/nodes/" + nodeName + "/assignments", read(credential), null)
                    .statusCode();
            if (status != 401) {
                say("node %s keeps its credential (%s)", nodeName, credential);
                return Optional.empty();
            }
            say("node %s: control-api refused its stored credential (node removed, or a new database): it joins again",
                    nodeName);
            delete(credential);
        }
        say("node %s: signing in as ops to make a join token", nodeName);
        String ops = KeycloakServer.external(keycloakUrl).passwordToken("ops", "nanofleet");
        // a credential of this name the agent no longer has (its state was deleted, the database kept) blocks the
        // name: the launcher owns local-1, so it removes the old node first (404 when there is none)
        send("DELETE", "/v1/nodes/" + nodeName, ops, null);
        HttpResponse<String> created = send("POST", "/v1/node-join-tokens", ops, """
                {"uses": 1, "ttlSeconds": %d, "description": "./fleet up: node %s"}""".formatted(
                TOKEN_TTL.toSeconds(), nodeName));
        Matcher secret = SECRET.matcher(created.body());
        if (created.statusCode() != 201 || !secret.find()) {
            throw new LaunchException("control-api did not make a join token for node " + nodeName + ": HTTP "
                    + created.statusCode() + " " + created.body(), null);
        }
        say("node %s: join token made (1 use, valid %d min)", nodeName, TOKEN_TTL.toMinutes());
        return Optional.of(secret.group(1));
    }

    private HttpResponse<String> send(String method, String path, String bearer, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        request.method(method, json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LaunchException("control-api at " + apiUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private void say(String format, Object... args) {
        out.println("[fleet] " + String.format(format, args));
        out.flush();
    }
}
