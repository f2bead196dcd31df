package dev.nanofleet.controlapi.security;

import dev.nanofleet.controlapi.enrollment.NodeCredentialPrincipal;
import dev.nanofleet.controlapi.enrollment.NodeCredentials;
import dev.nanofleet.controlapi.token.ApiTokenPrincipal;
import dev.nanofleet.controlapi.token.ApiTokenStore;
import dev.nanofleet.nodeapi.NodeApi;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns one of control-api's secrets into its identity. An API token: role {@code tenant} or {@code operator} as its
 * creator had, and the token as principal, so everything done with it is attributed to the token. A node credential:
 * role {@code node} and the node as principal, which {@link Caller#requireNode} holds to its own node. The lookup
 * reads the database, so it runs on a worker thread.
 */
@ApplicationScoped
public class BearerSecretIdentityProvider implements IdentityProvider<BearerSecretAuthenticationMechanism.Request> {

    private final ApiTokenStore tokens;
    private final NodeCredentials nodes;

    BearerSecretIdentityProvider(ApiTokenStore tokens, NodeCredentials nodes) {
        this.tokens = tokens;
        this.nodes = nodes;
    }

    @Override
    public Class<BearerSecretAuthenticationMechanism.Request> getRequestType() {
        return BearerSecretAuthenticationMechanism.Request.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerSecretAuthenticationMechanism.Request request,
            AuthenticationRequestContext context) {
        if (request.kind() == BearerSecret.NODE_CREDENTIAL) {
            // most node requests: a credential checked moments ago, answered without a worker thread or the database
            NodeCredentialPrincipal recent = nodes.recentlyChecked(request.secret());
            if (recent != null) {
                return Uni.createFrom().item(node(recent));
            }
        }
        return context.runBlocking(() -> switch (request.kind()) {
            case API_TOKEN -> {
                ApiTokenPrincipal token = tokens.authenticate(request.secret());
                yield QuarkusSecurityIdentity.builder().setPrincipal(token)
                        .addRole(token.operator() ? Caller.OPERATOR_ROLE : Caller.TENANT_ROLE)
                        .addAttribute(Caller.API_TOKEN_ATTRIBUTE, token).build();
            }
            case NODE_CREDENTIAL -> {
                yield node(nodes.authenticate(request.secret()));
            }
            case JOIN_TOKEN -> throw new IllegalStateException("a join token is never a bearer");
        });
    }

    private static SecurityIdentity node(NodeCredentialPrincipal node) {
        return QuarkusSecurityIdentity.builder().setPrincipal(node).addRole(NodeApi.NODE_ROLE).build();
    }
}
