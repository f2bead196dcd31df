package dev.nanofleet.tenantbilling.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An API token as control-api describes it ({@code GET /v1/me}): the principal of a request made with it. Holds no
 * secret.
 *
 * @param subject {@code token:<id>}, the actor events and logs name
 * @param tenant the tenant it acts for; null for an operator's token
 * @param expiresAt null when it does not expire
 */
public record ApiTokenIdentity(String subject, String tenant, boolean operator, Set<Scope> scopes, Instant expiresAt,
        UUID tokenId) implements Principal {

    public ApiTokenIdentity {
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String getName() {
        return subject;
    }
}
