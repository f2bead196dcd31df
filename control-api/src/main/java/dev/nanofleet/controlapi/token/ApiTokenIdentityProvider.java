package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.security.Caller;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an API token's secret into the token's identity: role {@code tenant} or {@code operator} as its creator had,
 * and the token as principal, so everything done with it is attributed to the token. The lookup reads the database,
 * so it runs on a worker thread.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationMechanism.Request> {

    private final ApiTokenStore tokens;

    ApiTokenIdentityProvider(ApiTokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ApiTokenAuthenticationMechanism.Request> getRequestType() {
        return ApiTokenAuthenticationMechanism.Request.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenAuthenticationMechanism.Request request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            ApiTokenPrincipal token = tokens.authenticate(request.secret());
            return QuarkusSecurityIdentity.builder().setPrincipal(token)
                    .addRole(token.operator() ? Caller.OPERATOR_ROLE : Caller.TENANT_ROLE)
                    .addAttribute(Caller.API_TOKEN_ATTRIBUTE, token).build();
        });
    }
}
