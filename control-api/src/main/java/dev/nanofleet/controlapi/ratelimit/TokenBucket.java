package dev.nanofleet.controlapi.ratelimit;

import java.time.Duration;
import java.util.Optional;

/**
 * A token bucket: holds up to {@code capacity} requests, refilled at {@code perSecond}. Pure and clocked by the caller
 * (nanoseconds), so it is tested without waiting. Thread-safe.
 */
public final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public TokenBucket(int capacity, double perSecond, long nowNanos) {
        if (capacity < 1 || perSecond <= 0) {
            throw new IllegalArgumentException("capacity must be at least 1 and the rate positive");
        }
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one request's token; when none is left, says how long until one is (rounded up to whole seconds). */
    public synchronized Optional<Duration> take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return Optional.empty();
        }
        long waitNanos = (long) Math.ceil((1 - tokens) / perNano);
        return Optional.of(Duration.ofSeconds(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L)));
    }

    /** True when the bucket is full again, so a limiter may forget it. */
    public synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
            last = nowNanos;
        }
    }
}
