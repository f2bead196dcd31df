package dev.nanofleet.tenantbilling.security;

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
 * leaves every other bearer value (Keycloak's JWTs) to it: returning no identity hands the request to the next
 * mechanism. A token control-api refuses fails here and never reaches OIDC, so the client learns why.
 */
@ApplicationScoped
public class ApiTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        return ApiTokenBearer.from(context.request().getHeader(HttpHeaders.AUTHORIZATION))
                .map(token -> identities.authenticate(new Request(token)))
                .orElseGet(() -> Uni.createFrom().nullItem());
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

    /** An API token, handed to {@link ApiTokenIdentityProvider}. Its toString does not show the token. */
    static final class Request extends BaseAuthenticationRequest {

        private final String token;

        Request(String token) {
            this.token = token;
        }

        String token() {
            return token;
        }

        @Override
        public String toString() {
            return "ApiTokenRequest";
        }
    }
}
