package dev.nanofleet.node.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.node.core.ControlPlaneException;
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
 * An OAuth 2 client-credentials access token, fetched when first needed and again shortly before it expires (a
 * quarter of its lifetime early, at most 30 s). Thread-safe; concurrent callers share one fetch.
 */
public final class TokenSource {

    private final HttpClient http;
    private final URI tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private String token;
    private Instant refreshAt = Instant.MIN;

    public TokenSource(HttpClient http, URI tokenUrl, String clientId, String clientSecret, Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            fetch();
        }
        return token;
    }

    public synchronized void invalidate() {
        token = null;
    }

    private void fetch() {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret="
                + enc(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControlPlaneException("token endpoint " + tokenUrl + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while fetching a token", e);
        }
        if (response.statusCode() != 200) {
            throw new ControlPlaneException("token endpoint refused client " + clientId + ": HTTP "
                    + response.statusCode() + " " + response.body());
        }
        try {
            JsonNode body = mapper.readTree(response.body());
            String accessToken = body.path("access_token").asText(null);
            if (accessToken == null) {
                throw new ControlPlaneException("token endpoint answered without access_token");
            }
            long lifetime = body.path("expires_in").asLong(60);
            long early = Math.min(30, Math.max(1, lifetime / 4));
            Instant now = clock.instant();
            token = accessToken;
            refreshAt = now.plusSeconds(Math.max(0, lifetime - early));
        } catch (IOException e) {
            throw new ControlPlaneException("token endpoint sent unreadable JSON: " + e.getMessage(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
