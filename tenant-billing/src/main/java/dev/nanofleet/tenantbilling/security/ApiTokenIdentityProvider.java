package dev.nanofleet.tenantbilling.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an API token into the identity control-api gives it: role {@code operator} or {@code tenant}, and the token's
 * description as principal. Asking control-api blocks, so it runs on a worker thread.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationMechanism.Request> {

    private final ControlApiIdentities controlApi;

    ApiTokenIdentityProvider(ControlApiIdentities controlApi) {
        this.controlApi = controlApi;
    }

    @Override
    public Class<ApiTokenAuthenticationMechanism.Request> getRequestType() {
        return ApiTokenAuthenticationMechanism.Request.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenAuthenticationMechanism.Request request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            ApiTokenIdentity token = controlApi.identify(request.token());
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder().setPrincipal(token)
                    .addAttribute(BillingCaller.API_TOKEN_ATTRIBUTE, token);
            if (token.operator()) {
                identity.addRole(BillingCaller.OPERATOR_ROLE);
            }
            if (token.tenant() != null) {
                identity.addRole(BillingCaller.TENANT_ROLE);
            }
            return identity.build();
        });
    }
}
