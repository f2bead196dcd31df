package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;

/**
 * Applies one event. Implementations make their effect and remember the event id ({@link ProcessedEvents}) in one
 * transaction, so a redelivered event changes nothing. Called from the consumer's single thread; an exception makes the
 * consumer retry the same event with backoff, never skip it.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Event<?> event) throws Exception;
}
