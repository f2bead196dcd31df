package dev.nanofleet.controlapi.token;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;
import java.util.Optional;

/**
 * Why an {@code nfk_} bearer token cannot be used (unknown, revoked, expired), carried on Quarkus'
 * {@link AuthenticationFailedException} (which is final) so the 401 problem can say it.
 */
public final class ApiTokenRejected {

    private static final String REASON = "nanofleet.api-token.rejected";

    private ApiTokenRejected() {
    }

    public static AuthenticationFailedException because(String reason) {
        return new AuthenticationFailedException(reason, Map.of(REASON, reason));
    }

    /** The reason, when the failure is an API token's. */
    public static Optional<String> reason(AuthenticationFailedException e) {
        return Optional.ofNullable(e.getAttribute(REASON));
    }
}
