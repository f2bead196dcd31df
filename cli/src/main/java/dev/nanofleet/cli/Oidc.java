package dev.nanofleet.cli;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OpenID Connect side of logging in: discovery, the device authorization grant (RFC 8628), the password grant,
 * refresh and revocation, against one issuer and one public client. Endpoints come from the issuer's discovery
 * document, never from string building, so another provider works as well as Keycloak.
 */
public final class Oidc {

    public static final String DEFAULT_CLIENT_ID = "nanofleet-cli";
    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final String issuer;
    private final String clientId;
    private Endpoints endpoints;

    public record Endpoints(URI token, URI deviceAuthorization, URI revocation, URI endSession) {
    }

    public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
            String verificationUriComplete, Duration expiresIn, Duration interval) {
    }

    public Oidc(HttpClient http, ObjectMapper json, Clock clock, String issuer, String clientId) {
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        this.clientId = clientId;
    }

    public Endpoints endpoints() {
        if (endpoints == null) {
            JsonNode doc = send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), "discovery");
            if (!doc.hasNonNull("token_endpoint")) {
                throw new CliException(ExitCodes.NOT_LOGGED_IN, issuer + " has no token_endpoint in its discovery");
            }
            endpoints = new Endpoints(URI.create(doc.get("token_endpoint").asText()),
                    uri(doc, "device_authorization_endpoint"), uri(doc, "revocation_endpoint"),
                    uri(doc, "end_session_endpoint"));
        }
        return endpoints;
    }

    public Credentials passwordGrant(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        return credentials(post(endpoints().token(), form, "login"));
    }

    public DeviceAuthorization startDeviceAuthorization() {
        URI endpoint = endpoints().deviceAuthorization();
        if (endpoint == null) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN, issuer
                    + " offers no device authorization; use `nanofleet login --username U --password-stdin`");
        }
        JsonNode answer = post(endpoint, Map.of("client_id", clientId, "scope", "openid"), "device authorization");
        return new DeviceAuthorization(answer.path("device_code").asText(), answer.path("user_code").asText(),
                answer.path("verification_uri").asText(), answer.path("verification_uri_complete").asText(null),
                Duration.ofSeconds(answer.path("expires_in").asLong(600)),
                Duration.ofSeconds(Math.max(1, answer.path("interval").asLong(5))));
    }

    /** Polls the token endpoint as RFC 8628 says (slow_down adds 5 s) until the user approved, refused or time ran out. */
    public Credentials awaitDeviceToken(DeviceAuthorization device, CliContext.Sleeper sleeper) {
        Instant deadline = clock.instant().plus(device.expiresIn());
        Duration interval = device.interval();
        Map<String, String> form = Map.of("grant_type", DEVICE_GRANT, "device_code", device.deviceCode(), "client_id",
                clientId);
        while (clock.instant().isBefore(deadline)) {
            pause(sleeper, interval);
            HttpResponse<String> response = exchange(formRequest(endpoints().token(), form), "login");
            JsonNode body = parse(response.body());
            if (response.statusCode() == 200) {
                return credentials(body);
            }
            String error = body.path("error").asText("");
            switch (error) {
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval = interval.plusSeconds(5);
                case "access_denied" -> throw new CliException(ExitCodes.NOT_LOGGED_IN, "the login was refused");
                case "expired_token" -> throw new CliException(ExitCodes.NOT_LOGGED_IN,
                        "the login code expired before it was used; run `nanofleet login` again");
                default -> throw oauthError(response.statusCode(), body, "login");
            }
        }
        throw new CliException(ExitCodes.NOT_LOGGED_IN,
                "the login code expired before it was used; run `nanofleet login` again");
    }

    public Credentials refresh(String refreshToken) {
        return credentials(post(endpoints().token(), Map.of("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", refreshToken), "refresh"));
    }

    /**
     * Ends the session behind a refresh token: the revocation endpoint if the provider has one, else the end-session
     * endpoint (Keycloak accepts a refresh token there from a public client). Returns whether the provider was told.
     */
    public boolean revoke(String refreshToken) {
        Endpoints e = endpoints();
        if (e.revocation() != null) {
            post(e.revocation(), Map.of("token", refreshToken, "token_type_hint", "refresh_token", "client_id",
                    clientId), "logout");
            return true;
        }
        if (e.endSession() != null) {
            post(e.endSession(), Map.of("refresh_token", refreshToken, "client_id", clientId), "logout");
            return true;
        }
        return false;
    }

    private Credentials credentials(JsonNode answer) {
        Instant now = clock.instant();
        long refreshExpiresIn = answer.path("refresh_expires_in").asLong(0);
        return new Credentials(issuer, clientId, answer.path("access_token").asText(),
                now.plusSeconds(answer.path("expires_in").asLong(60)), answer.path("refresh_token").asText(null),
                // Keycloak says 0 for offline tokens, which do not expire by time
                refreshExpiresIn > 0 ? now.plusSeconds(refreshExpiresIn) : null);
    }

    private JsonNode post(URI endpoint, Map<String, String> form, String what) {
        HttpResponse<String> response = exchange(formRequest(endpoint, form), what);
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw oauthError(response.statusCode(), body, what);
        }
        return body;
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response = exchange(request, what);
        if (response.statusCode() != 200) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN,
                    what + " at " + request.uri() + " answered HTTP " + response.statusCode());
        }
        return parse(response.body());
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach the identity provider at " + request.uri()
                    + " (" + ApiClient.describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, what + " interrupted", e);
        }
    }

    private static HttpRequest formRequest(URI endpoint, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** An OAuth error; never echoes the request, which holds the password or a token. */
    private static CliException oauthError(int status, JsonNode body, String what) {
        String error = body.path("error").asText("HTTP " + status);
        String description = body.path("error_description").asText(null);
        return new CliException(status >= 500 ? ExitCodes.UNREACHABLE : ExitCodes.NOT_LOGGED_IN,
                what + " failed: " + error + (description == null ? "" : ": " + description));
    }

    private static URI uri(JsonNode doc, String field) {
        return doc.hasNonNull(field) ? URI.create(doc.get(field).asText()) : null;
    }

    private static void pause(CliContext.Sleeper sleeper, Duration interval) {
        try {
            sleeper.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NOT_LOGGED_IN, "login interrupted", e);
        }
    }
}
