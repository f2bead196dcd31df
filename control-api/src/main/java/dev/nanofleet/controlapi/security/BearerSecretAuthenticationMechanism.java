package dev.nanofleet.controlapi.security;

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
 * Takes {@code Authorization: Bearer} requests carrying one of control-api's own secrets (an API token {@code nfk_...}
 * or a node credential {@code nfn_...}, told apart by {@link BearerSecret}'s prefixes) before the OIDC mechanism sees
 * them (a higher priority), and leaves every other bearer value to it: returning no identity hands the request to the
 * next mechanism. A secret that is not valid fails here and never reaches OIDC, so the client learns why (revoked,
 * expired) instead of reading that its "JWT" is malformed.
 */
@ApplicationScoped
public class BearerSecretAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";
    /** The secrets that authenticate requests; a join token is traded in a body, never presented as a bearer. */
    private static final Set<BearerSecret> BEARERS = Set.of(BearerSecret.API_TOKEN, BearerSecret.NODE_CREDENTIAL);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String secret = header.substring(BEARER.length()).trim();
        for (BearerSecret kind : BEARERS) {
            if (kind.marks(secret)) {
                return identities.authenticate(new Request(kind, secret));
            }
        }
        return Uni.createFrom().nullItem();
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

    /** A secret of a known kind, handed to {@link BearerSecretIdentityProvider}. */
    static final class Request extends BaseAuthenticationRequest {

        private final BearerSecret kind;
        private final String secret;

        Request(BearerSecret kind, String secret) {
            this.kind = kind;
            this.secret = secret;
        }

        BearerSecret kind() {
            return kind;
        }

        String secret() {
            return secret;
        }
    }
}
