package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventPayload;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** Wraps payloads in events stamped with this service as source and the injected clock's time. */
@ApplicationScoped
public class EventFactory {

    private final Clock clock;
    private final String source;

    EventFactory(Clock clock, ControlApiConfig config) {
        this.clock = clock;
        this.source = config.eventSource();
    }

    /** @param tenant null for fleet events (nodes) */
    public <T extends EventPayload> Event<T> event(String tenant, String subject, T payload) {
        return Event.of(source, clock.instant(), tenant, subject, payload);
    }
}
