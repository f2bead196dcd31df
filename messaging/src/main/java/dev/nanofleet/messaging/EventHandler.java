package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;

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
}
