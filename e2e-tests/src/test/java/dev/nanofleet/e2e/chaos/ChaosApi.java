package dev.nanofleet.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.e2e.chaos.ChaosModel.Billed;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedDeployment;
import dev.nanofleet.e2e.chaos.ChaosModel.ObservedInstance;
import dev.nanofleet.testsupport.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * control-api and tenant-billing as the harness's users call them, over plain HTTP so that an outage is an answer the
 * caller can act on: {@link #send} returns empty when no HTTP answer came (refused, reset, timed out). Tokens come from
 * Keycloak (never killed) by password grant, one per user, renewed after a minute or on a 401. Thread-safe.
 */
public final class ChaosApi {

    /** Every user of the realm has this password. */
    public static final String PASSWORD = "nanofleet";
    private static final Duration TOKEN_AGE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status, body (null when empty or not JSON) and headers. */
    public record Answer(int status, JsonNode body, HttpHeadersView headers) {
    }

    /** The answer's headers, by lower-case name (first value). */
    public record HttpHeadersView(Map<String, String> values) {
        public Optional<String> get(String name) {
            return Optional.ofNullable(values.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private record Token(String value, Instant fetched) {
    }

    private final String api;
    private final String billing;
    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public ChaosApi(String api, String billing, KeycloakServer keycloak) {
        this.api = api;
        this.billing = billing;
        this.keycloak = keycloak;
    }

    /** One attempt at control-api; empty when no answer came. A 401 drops the user's token for the next attempt. */
    public Optional<Answer> send(String user, String method, String path, Object body, Map<String, String> headers) {
        return send(api, user, method, path, body, headers);
    }

    private Optional<Answer> send(String base, String user, String method, String path, Object body,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token(user)).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling " + method + " " + path, e);
        }
        if (response.statusCode() == 401) {
            tokens.remove(user);
        }
        Map<String, String> values = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> values.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
        return Optional.of(new Answer(response.statusCode(), read(response.body()), new HttpHeadersView(values)));
    }

    private String token(String user) {
        Token t = tokens.compute(user, (u, old) -> old != null && old.fetched.plus(TOKEN_AGE).isAfter(Instant.now())
                ? old
                : new Token(keycloak.passwordToken(u, PASSWORD), Instant.now()));
        return t.value;
    }

    /**
     * The user's deployments whose names start with {@code prefix}, deleted ones included, every page.
     *
     * @throws IllegalStateException when control-api does not answer 200 (the caller waits and asks again)
     */
    public List<ObservedDeployment> deployments(String user, String prefix) {
        List<ObservedDeployment> all = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/v1/deployments?state=all&limit=500&name=" + encode(prefix)
                    + (cursor == null ? "" : "&cursor=" + encode(cursor));
            Answer answer = ok(send(user, "GET", path, null, Map.of()), path);
            for (JsonNode d : answer.body()) {
                List<ObservedInstance> instances = new ArrayList<>();
                for (JsonNode i : d.path("instances")) {
                    instances.add(new ObservedInstance(UUID.fromString(i.path("id").asText()), text(i, "node"),
                            text(i, "state"), text(i, "desiredState")));
                }
                all.add(new ObservedDeployment(user, UUID.fromString(d.path("id").asText()), d.path("name").asText(),
                        d.path("replicas").asInt(), !d.path("deletedAt").isMissingNode()
                                && !d.path("deletedAt").isNull(),
                        d.path("resources").path("cpuMillis").asInt(), instances));
            }
            cursor = answer.headers().get("Nanofleet-Next-Cursor").orElse(null);
        } while (cursor != null);
        return all;
    }

    /** The instances an operator sees placed on {@code node} that control-api wants running. */
    public Set<UUID> wantedRunningOn(String operator, String node) {
        String path = "/v1/instances?limit=1000&node=" + encode(node);
        Set<UUID> ids = new HashSet<>();
        for (JsonNode i : ok(send(operator, "GET", path, null, Map.of()), path).body()) {
            if ("running".equals(text(i, "desiredState"))) {
                ids.add(UUID.fromString(i.path("id").asText()));
            }
        }
        return ids;
    }

    /** What tenant-billing bills the user's deployments so far this period, per deployment, and as of when. */
    public record Usage(Instant asOf, List<Billed> billed) {
    }

    public Usage usage(String user) {
        Answer answer = ok(send(billing, user, "GET", "/v1/usage", null, Map.of()), "billing /v1/usage");
        Map<UUID, BigDecimal> sums = new LinkedHashMap<>();
        for (JsonNode row : answer.body().path("rows")) {
            sums.merge(UUID.fromString(row.path("deploymentId").asText()),
                    new BigDecimal(row.path("reservedVcpuSeconds").asText()), BigDecimal::add);
        }
        return new Usage(Instant.parse(answer.body().path("asOf").asText()),
                sums.entrySet().stream().map(e -> new Billed(e.getKey(), e.getValue())).toList());
    }

    private static Answer ok(Optional<Answer> answer, String what) {
        if (answer.isEmpty()) {
            throw new IllegalStateException(what + ": no answer");
        }
        if (answer.get().status() != 200) {
            throw new IllegalStateException(what + ": HTTP " + answer.get().status() + " " + answer.get().body());
        }
        return answer.get();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null; // not JSON (a proxy's page): the status says enough
        }
    }
}
