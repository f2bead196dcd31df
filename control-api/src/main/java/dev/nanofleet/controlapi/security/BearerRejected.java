package dev.nanofleet.controlapi.security;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;
import java.util.Optional;

/**
 * Why one of control-api's own bearer secrets ({@link BearerSecret}: an API token, a node credential) cannot be used
 * (unknown, revoked, expired), carried on Quarkus' {@link AuthenticationFailedException} (which is final) so the 401
 * problem can say it.
 */
public final class BearerRejected {

    private static final String REASON = "nanofleet.bearer.rejected";

    private BearerRejected() {
    }

    public static AuthenticationFailedException because(String reason) {
        return new AuthenticationFailedException(reason, Map.of(REASON, reason));
    }

    /** The reason, when the failure is one of our secrets'. */
    public static Optional<String> reason(AuthenticationFailedException e) {
        return Optional.ofNullable(e.getAttribute(REASON));
    }
}
