package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;
import java.time.Instant;
import java.util.List;

/**
 * A handler that can apply a whole poll's events at once, all or nothing (one transaction, one round trip of batched
 * statements), for a consumer whose throughput matters (billing's meter). When {@link #handleAll} throws, the consumer
 * applies the same events one at a time through {@link #handle(Event, Instant)} with the usual retries and dead
 * letters, so one bad event still costs only itself. Both paths must have the same effect, and repeating either must
 * change nothing (the effect is keyed by event id).
 */
public interface BatchEventHandler extends EventHandler {

    /** One event as Kafka delivered it, with the record's timestamp. */
    record Delivery(Event<?> event, Instant publishedAt) {
    }

    void handleAll(List<Delivery> deliveries) throws Exception;
}
