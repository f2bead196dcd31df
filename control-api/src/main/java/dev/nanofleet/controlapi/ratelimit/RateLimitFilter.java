package dev.nanofleet.controlapi.ratelimit;

import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemMappers;
import dev.nanofleet.controlapi.problem.ProblemType;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.CallerIdentity;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} when a tenant (all its people and tokens together) or the operators make
 * requests faster than the limit. Nodes and anonymous callers are not limited here: nodes speak on a schedule of their
 * own, and an anonymous request gets its 401 without touching anything.
 */
public class RateLimitFilter {

    private final RateLimiter limiter;
    private final SecurityIdentity identity;
    private final Caller caller;

    RateLimitFilter(RateLimiter limiter, SecurityIdentity identity, Caller caller) {
        this.limiter = limiter;
        this.identity = identity;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> limit(ContainerRequestContext request, UriInfo uri) {
        if (!uri.getPath().startsWith("/v1/") || identity.isAnonymous()) {
            return Optional.empty();
        }
        CallerIdentity who = caller.identity();
        String key = who.tenant() != null ? "tenant:" + who.tenant() : who.operator() ? "operators" : null;
        if (key == null) {
            return Optional.empty();
        }
        return limiter.take(key).map(wait -> tooMany(key, wait, uri));
    }

    private static Response tooMany(String key, Duration wait, UriInfo uri) {
        ProblemType type = ProblemType.RATE_LIMITED;
        Problem problem = new Problem(type.uri(), type.title(), type.status(),
                "too many requests for " + key + "; retry after " + wait.toSeconds() + " s",
                ProblemMappers.instance(uri), null);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(wait.toSeconds())).entity(problem).build();
    }
}
