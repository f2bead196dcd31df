package dev.nanofleet.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;

/**
 * The tokens {@code nanofleet login} obtained, as cached in {@code credentials.json}; the issuer and client are kept so a
 * refresh goes to the same place the login went.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Credentials(String issuer, String clientId, String accessToken, Instant accessExpiresAt,
        String refreshToken, Instant refreshExpiresAt) {

    /** Refresh a little early, so a token does not expire between this check and the API reading it. */
    static final Duration SKEW = Duration.ofSeconds(30);

    public boolean accessValidAt(Instant now) {
        return accessToken != null && accessExpiresAt != null && now.plus(SKEW).isBefore(accessExpiresAt);
    }

    public boolean refreshValidAt(Instant now) {
        return refreshToken != null && (refreshExpiresAt == null || now.plus(SKEW).isBefore(refreshExpiresAt));
    }
}
