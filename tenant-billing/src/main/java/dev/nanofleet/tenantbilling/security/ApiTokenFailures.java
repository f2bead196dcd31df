package dev.nanofleet.tenantbilling.security;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;
import java.util.Optional;

/**
 * Why an {@code nfk_} bearer token could not be used, carried on Quarkus' (final) {@link AuthenticationFailedException}
 * so the problem mappers can answer 401 with control-api's reason, or 503 when control-api could not be asked.
 */
public final class ApiTokenFailures {

    private static final String REJECTED = "nanofleet.api-token.rejected";
    private static final String UNAVAILABLE = "nanofleet.api-token.unavailable";

    private ApiTokenFailures() {
    }

    /** control-api refused the token (unknown, revoked, expired): a 401. */
    public static AuthenticationFailedException rejected(String reason) {
        return new AuthenticationFailedException(reason, Map.of(REJECTED, reason));
    }

    /** control-api did not answer usefully: the token may be fine, so a 503 the client may retry, not a 401. */
    public static AuthenticationFailedException unavailable(String detail) {
        return new AuthenticationFailedException(detail, Map.of(UNAVAILABLE, detail));
    }

    public static Optional<String> rejection(AuthenticationFailedException e) {
        return Optional.ofNullable(e.getAttribute(REJECTED));
    }

    public static Optional<String> unavailability(AuthenticationFailedException e) {
        return Optional.ofNullable(e.getAttribute(UNAVAILABLE));
    }
}
