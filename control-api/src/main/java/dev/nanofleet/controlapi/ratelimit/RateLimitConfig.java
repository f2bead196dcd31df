package dev.nanofleet.controlapi.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Per-tenant request limits of the public API (a token bucket per tenant, and one for the operators). */
@ConfigMapping(prefix = "nanofleet.rate-limit")
public interface RateLimitConfig {

    /** Requests a tenant may make in a burst. */
    @WithDefault("200")
    @Min(1)
    @Max(1_000_000)
    int burst();

    /** Requests per second a tenant may make once its burst is spent. */
    @WithDefault("50")
    @Min(1)
    @Max(1_000_000)
    int perSecond();
}
