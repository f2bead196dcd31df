package dev.nanofleet.tenantbilling.security;

import java.util.Optional;

/**
 * Recognises a Nanofleet API token in an {@code Authorization} header by control-api's rule (a bearer value starting
 * with {@code nfk_}), copied rather than shared so this service does not depend on control-api's code.
 */
public final class ApiTokenBearer {

    public static final String PREFIX = "nfk_";
    private static final String BEARER = "bearer ";

    private ApiTokenBearer() {
    }

    /** A bearer value meant as an API token (by its prefix), whether or not it is well formed. */
    public static boolean isApiToken(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    /** The API token an {@code Authorization} header carries; empty for none or for another kind of bearer value. */
    public static Optional<String> from(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String secret = authorization.substring(BEARER.length()).trim();
        return isApiToken(secret) ? Optional.of(secret) : Optional.empty();
    }
}
