package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The edge's access token from Keycloak (client-credentials grant), kept until shortly before it expires. The secret is
 * sent only to the token endpoint and never logged. Thread-safe.
 */
final class ClientCredentialsToken {

    /** Renew this long before expiry, so a request never carries a token that expires on the way. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI tokenUrl;
    private final String form;
    private String token;
    private Instant renewAt = Instant.MIN;

    ClientCredentialsToken(HttpClient http, ObjectMapper json, String tokenUrl, String clientId, String secret) {
        this.http = http;
        this.json = json;
        this.tokenUrl = URI.create(tokenUrl);
        this.form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    synchronized String get() throws IOException, InterruptedException {
        if (token != null && Instant.now().isBefore(renewAt)) {
            return token;
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the token endpoint answered " + response.statusCode());
        }
        JsonNode body = json.readTree(response.body());
        token = body.path("access_token").asText(null);
        if (token == null) {
            throw new IOException("the token endpoint's answer has no access_token");
        }
        long lifetime = body.path("expires_in").asLong(60);
        renewAt = Instant.now().plusSeconds(lifetime).minus(MARGIN);
        return token;
    }

    /** Forgets the token, e.g. after control-api refused it. */
    synchronized void forget() {
        token = null;
    }
}
