package dev.nanofleet.tenantbilling.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/**
 * How this service learns who an API token is: it asks control-api, which keeps the tokens. Validated at start-up, so
 * a missing URL stops the service with the key named instead of failing every API-token request later.
 */
@ConfigMapping(prefix = "nanofleet.billing")
public interface IdentityConfig {

    /** control-api's base URL; {@code GET <url>/v1/me} answers who a bearer token is. */
    @Pattern(regexp = "https?://[^\\s?#]+", message = "needs control-api's base URL: set NANOFLEET_BILLING_CONTROL_API_URL"
            + " (nanofleet.billing.control-api-url), e.g. http://127.0.0.1:18081")
    String controlApiUrl();

    /** How long a question to control-api may take before the request is answered 503. */
    @WithDefault("5s")
    Duration controlApiTimeout();

    /**
     * How long control-api's answer about a token is reused. A revoked token therefore keeps working here for up to
     * this long; in exchange a script's burst of requests costs control-api one lookup.
     */
    @WithDefault("30s")
    Duration apiTokenCacheTtl();

    /** Answers kept at most; past it expired ones are dropped first, then all. */
    @WithDefault("10000")
    @Min(1)
    @Max(1_000_000)
    int apiTokenCacheSize();
}
