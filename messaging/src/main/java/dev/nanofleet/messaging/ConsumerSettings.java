package dev.nanofleet.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer treats a failing event and how it watches itself.
 *
 * @param handlerAttempts times a handler is called with one event before the event goes to the dead-letter topic
 * @param firstBackoff wait after the first failure; doubled after each further one up to {@code maxBackoff}
 * @param maxPollInterval Kafka's {@code max.poll.interval.ms}: a consumer away from {@code poll} longer than this is
 *        evicted from its group. The attempts and backoffs on one event must fit well inside it.
 * @param stuckAfter a consumer that made no progress (no poll returned, no event finished) for this long is reported
 *        stuck, so readiness drops before Kafka evicts it
 * @param restartBackoff wait before a consumer that died is replaced by a new one; doubled while it keeps dying, up to
 *        30 s
 */
public record ConsumerSettings(int handlerAttempts, Duration firstBackoff, Duration maxBackoff,
        Duration maxPollInterval, Duration stuckAfter, Duration restartBackoff) {

    private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    public ConsumerSettings {
        Objects.requireNonNull(firstBackoff);
        Objects.requireNonNull(maxBackoff);
        Objects.requireNonNull(maxPollInterval);
        Objects.requireNonNull(stuckAfter);
        Objects.requireNonNull(restartBackoff);
        if (handlerAttempts < 1) {
            throw new IllegalArgumentException("handlerAttempts must be at least 1: " + handlerAttempts);
        }
        if (worstCaseRetries(handlerAttempts, firstBackoff, maxBackoff).compareTo(maxPollInterval) >= 0) {
            throw new IllegalArgumentException("the backoffs of " + handlerAttempts + " attempts do not fit in "
                    + "max.poll.interval " + maxPollInterval + ": the consumer would be evicted while retrying");
        }
    }

    /** Five attempts over about 1.5 s, Kafka's 5-minute poll interval, stuck after one minute. */
    public static ConsumerSettings defaults() {
        return of(5, Duration.ofMinutes(5), Duration.ofMinutes(1));
    }

    /** The settings a service configures, with the backoffs every service uses (100 ms doubling to 2 s; 1 s). */
    public static ConsumerSettings of(int handlerAttempts, Duration maxPollInterval, Duration stuckAfter) {
        return new ConsumerSettings(handlerAttempts, Duration.ofMillis(100), Duration.ofSeconds(2), maxPollInterval,
                stuckAfter, Duration.ofSeconds(1));
    }

    Duration backoffAfter(int failures) {
        Duration backoff = firstBackoff;
        for (int i = 1; i < failures && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return OutboxRelay.min(backoff, maxBackoff);
    }

    Duration restartBackoffAfter(int deaths) {
        Duration backoff = restartBackoff;
        for (int i = 1; i < deaths && backoff.compareTo(MAX_RESTART_BACKOFF) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return OutboxRelay.min(backoff, MAX_RESTART_BACKOFF);
    }

    private static Duration worstCaseRetries(int attempts, Duration first, Duration max) {
        Duration total = Duration.ZERO;
        Duration backoff = first;
        for (int i = 1; i < attempts; i++) {
            total = total.plus(OutboxRelay.min(backoff, max));
            backoff = backoff.multipliedBy(2);
        }
        return total;
    }
}
