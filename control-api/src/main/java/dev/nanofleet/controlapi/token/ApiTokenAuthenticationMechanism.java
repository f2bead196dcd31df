package dev.nanofleet.controlapi.token;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Takes {@code Authorization: Bearer nfk_...} requests before the OIDC mechanism sees them (a higher priority) and
 * leaves every other bearer value to it: returning no identity hands the request to the next mechanism. A token
 * that is not valid fails here and never reaches OIDC, so the client learns why (revoked, expired) instead of reading
 * that its "JWT" is malformed.
 */
@ApplicationScoped
public class ApiTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String secret = header.substring(BEARER.length()).trim();
        if (!ApiTokenSecret.isApiToken(secret)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new Request(secret));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Request.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    /** The secret of an API token, handed to {@link ApiTokenIdentityProvider}. */
    static final class Request extends BaseAuthenticationRequest {

        private final String secret;

        Request(String secret) {
            this.secret = secret;
        }

        String secret() {
            return secret;
        }
    }
}
