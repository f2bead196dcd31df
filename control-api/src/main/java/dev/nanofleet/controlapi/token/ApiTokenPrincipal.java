package dev.nanofleet.controlapi.token;

import dev.nanofleet.controlapi.security.Scope;
import java.security.Principal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** The identity of a request made with an API token: the token itself, not the person who created it. */
public record ApiTokenPrincipal(UUID id, String tenant, boolean operator, Set<Scope> scopes, Instant expiresAt)
        implements
            Principal {

    @Override
    public String getName() {
        return "token:" + id;
    }
}
