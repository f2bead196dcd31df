package dev.nanofleet.controlapi.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, in control-api's terms, whatever the credential: a person signed in through Keycloak or an API token.
 *
 * @param actor {@code user:<username>} or {@code token:<id>}: the name events and logs give the caller
 * @param tenant the tenant the caller acts for; null for an operator (and for a token of no tenant)
 * @param scopes what the caller may do; a person holds every scope of their role
 * @param expiresAt when an API token stops working; null for a Keycloak token (its own short expiry applies)
 * @param tokenId the API token's id, null for a person
 */
public record CallerIdentity(String actor, String tenant, boolean operator, Set<Scope> scopes, Instant expiresAt,
        UUID tokenId) {

    public CallerIdentity {
        scopes = Set.copyOf(scopes);
    }

    public boolean isToken() {
        return tokenId != null;
    }
}
