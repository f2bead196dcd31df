package dev.nanofleet.controlapi.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * control-api's own access token (client-credentials grant), fetched when first needed and reused until shortly before
 * it expires. Thread-safe; concurrent callers of an expired token fetch it once.
 */
final class ControlPlaneToken {

    /** Refresh this long before the token expires, so it does not expire on the way to the agent. */
    private static final Duration EARLY = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private String token;
    private Instant refreshAt = Instant.MIN;

    ControlPlaneToken(HttpClient http, URI tokenUrl, String clientId, String clientSecret, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    /** @throws IOException when the token endpoint cannot be reached or refuses */
    synchronized String get() throws IOException, InterruptedException {
        if (token != null && clock.instant().isBefore(refreshAt)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("token endpoint " + tokenUrl + " answered " + response.statusCode() + " for client "
                    + clientId);
        }
        JsonNode body = json.readTree(response.body());
        String accessToken = body.path("access_token").asText(null);
        if (accessToken == null) {
            throw new IOException("token endpoint " + tokenUrl + " sent no access_token");
        }
        long expiresIn = body.path("expires_in").asLong(60);
        token = accessToken;
        refreshAt = clock.instant().plusSeconds(expiresIn).minus(EARLY);
        return token;
    }

    /** Forgets the token (the agent refused it, e.g. after a Keycloak restart). */
    synchronized void invalidate() {
        token = null;
    }
}
