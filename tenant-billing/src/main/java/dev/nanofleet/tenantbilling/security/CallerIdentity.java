package dev.nanofleet.tenantbilling.security;

import java.util.Set;

/**
 * Who is calling, whatever the credential: a person signed in through Keycloak or an API token.
 *
 * @param actor {@code user:<username>} or {@code token:<id>}: the name a spend-limit change is recorded under
 * @param tenant the tenant the caller acts for; null for an operator
 * @param scopes what the caller may do; a person holds every scope of their role
 */
public record CallerIdentity(String actor, String tenant, boolean operator, Set<Scope> scopes) {

    public CallerIdentity {
        scopes = Set.copyOf(scopes);
    }
}
