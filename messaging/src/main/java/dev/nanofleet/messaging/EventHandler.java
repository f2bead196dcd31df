package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;
import java.time.Instant;

/**
 * Applies one event. Implementations make their effect and remember the event id ({@link ProcessedEvents}) in one
 * transaction, so a redelivered event changes nothing. Called from the consumer's single thread; an exception makes the
 * consumer retry the same event with backoff, a bounded number of times before it goes to the dead-letter topic (no
 * bound while the cause is an unreachable database). An event that can never apply should throw rather than be
 * silently dropped, so it is set aside where an operator can see it.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Event<?> event) throws Exception;

    /**
     * Applies one event Kafka received at {@code publishedAt} (the record's timestamp, set when the producer sent it).
     * A handler that dates what it records by publication (billing's lateness rule: a replay must reach the same
     * decisions, so it cannot use the time it consumed an event) overrides this; the rest ignore it.
     */
    default void handle(Event<?> event, Instant publishedAt) throws Exception {
        handle(event);
    }
}
