package dev.nanofleet.tenantbilling.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Asks control-api who an API token is ({@code GET /v1/me} with the same bearer header): control-api keeps the tokens,
 * this service only their description. Answers, a refusal included, are reused for a while, keyed by the token's
 * SHA-256: the token itself is neither kept nor logged. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class ControlApiIdentities {

    private static final Logger LOG = Logger.getLogger(ControlApiIdentities.class);

    /** What control-api said about a token: who it is, or why it is refused. */
    sealed interface Answer {
    }

    record Known(ApiTokenIdentity identity) implements Answer {
    }

    record Rejected(String reason) implements Answer {
    }

    private record Cached(Answer answer, Instant until) {
    }

    private final HttpClient http;
    private final URI me;
    private final Duration timeout;
    private final Duration ttl;
    private final int maxCached;
    private final ObjectMapper json;
    private final InstantSource clock;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong questions = new AtomicLong();

    @Inject
    ControlApiIdentities(IdentityConfig config, ObjectMapper json) {
        this(config.controlApiUrl(), config.controlApiTimeout(), config.apiTokenCacheTtl(), config.apiTokenCacheSize(),
                json, InstantSource.system());
    }

    ControlApiIdentities(String controlApiUrl, Duration timeout, Duration ttl, int maxCached, ObjectMapper json,
            InstantSource clock) {
        this.me = URI.create((controlApiUrl.endsWith("/")
                ? controlApiUrl.substring(0, controlApiUrl.length() - 1)
                : controlApiUrl) + "/v1/me");
        this.timeout = timeout;
        this.ttl = ttl;
        this.maxCached = maxCached;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The token's identity.
     *
     * @throws io.quarkus.security.AuthenticationFailedException from {@link ApiTokenFailures}: rejected when
     *             control-api refuses the token, unavailable when it cannot be asked
     */
    public ApiTokenIdentity identify(String token) {
        String key = Sha256.hex(token);
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        Answer answer;
        if (hit != null && now.isBefore(hit.until())) {
            answer = hit.answer();
        } else {
            answer = ask(token);
            remember(key, answer, now);
        }
        return switch (answer) {
            case Known known -> known.identity();
            case Rejected rejected -> throw ApiTokenFailures.rejected(rejected.reason());
        };
    }

    /** How many times control-api was asked since start: lets tests see the cache at work. */
    public long questionsAsked() {
        return questions.get();
    }

    private void remember(String key, Answer answer, Instant now) {
        Instant until = now.plus(ttl);
        if (answer instanceof Known known && known.identity().expiresAt() != null
                && known.identity().expiresAt().isBefore(until)) {
            until = known.identity().expiresAt(); // an expiring token is not vouched for past its expiry
        }
        if (cache.size() >= maxCached) {
            cache.values().removeIf(cached -> !now.isBefore(cached.until()));
            if (cache.size() >= maxCached) {
                cache.clear(); // a flood of distinct tokens: start again rather than grow without bound
            }
        }
        cache.put(key, new Cached(answer, until));
    }

    private Answer ask(String token) {
        questions.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(me).timeout(timeout).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the exception names the URL and the failure, never the header
            LOG.warnf("control-api cannot be asked about an API token at %s: %s", me, e);
            throw ApiTokenFailures.unavailable("control-api, which checks API tokens, cannot be reached; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiTokenFailures.unavailable("the API token check was interrupted; retry later");
        }
        return switch (response.statusCode()) {
            case 200 -> new Known(identity(response.body()));
            case 401 -> new Rejected(reason(response.body()));
            default -> {
                LOG.warnf("control-api answered %d to an API token check at %s", response.statusCode(), me);
                throw ApiTokenFailures.unavailable("control-api, which checks API tokens, answered "
                        + response.statusCode() + "; retry later");
            }
        };
    }

    /** control-api's {@code Me}: subject, kind, tenant, operator, scopes, expiresAt, tokenId. */
    private ApiTokenIdentity identity(String body) {
        try {
            JsonNode me = json.readTree(body);
            String subject = text(me, "subject");
            if (subject == null || !me.path("operator").isBoolean() || !me.path("scopes").isArray()) {
                throw new IllegalArgumentException("subject, operator or scopes missing");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            me.path("scopes").forEach(scope -> Scope.parse(scope.asText()).ifPresent(scopes::add));
            String expiresAt = text(me, "expiresAt");
            String tokenId = text(me, "tokenId");
            String tenant = text(me, "tenant");
            return new ApiTokenIdentity(subject, tenant == null || tenant.isBlank() ? null : tenant,
                    me.path("operator").asBoolean(), scopes, expiresAt == null ? null : Instant.parse(expiresAt),
                    tokenId == null ? null : UUID.fromString(tokenId));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            LOG.warnf("control-api's answer to an API token check at %s cannot be read: %s", me, e.getMessage());
            throw ApiTokenFailures.unavailable("control-api's answer about the API token cannot be read; retry later");
        }
    }

    /** control-api's problem detail says why (revoked, expired); a generic reason when it says nothing. */
    private String reason(String body) {
        try {
            String detail = text(json.readTree(body), "detail");
            if (detail != null && !detail.isBlank() && detail.length() <= 300) {
                return detail;
            }
        } catch (IOException | RuntimeException e) {
            // no readable problem: the generic reason below
        }
        return "the API token is not valid";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
