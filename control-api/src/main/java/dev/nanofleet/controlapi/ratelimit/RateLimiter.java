package dev.nanofleet.controlapi.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (a tenant, or the operators). Buckets that filled up again are forgotten on the next sweep,
 * so memory follows the active callers. Per control-api instance: with N instances behind a balancer a tenant gets up
 * to N times the rate, which is the usual trade (Fly's and GitHub's limits are per region/host too).
 */
@ApplicationScoped
public class RateLimiter {

    private static final int SWEEP_EVERY = 10_000;

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final RateLimitConfig config;
    private int sinceSweep;

    RateLimiter(RateLimitConfig config) {
        this.config = config;
    }

    /** Empty when the request may go on; otherwise how long the caller should wait (the Retry-After). */
    public Optional<Duration> take(String key) {
        long now = System.nanoTime();
        sweep(now);
        return buckets.computeIfAbsent(key, k -> new TokenBucket(config.burst(), config.perSecond(), now)).take(now);
    }

    private void sweep(long now) {
        if (++sinceSweep < SWEEP_EVERY) {
            return;
        }
        sinceSweep = 0;
        buckets.values().removeIf(bucket -> bucket.full(now));
    }
}
