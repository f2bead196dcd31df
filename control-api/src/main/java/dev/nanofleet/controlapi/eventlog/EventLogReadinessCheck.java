package dev.nanofleet.controlapi.eventlog;

import dev.nanofleet.messaging.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the event log's consumer polls and makes progress: otherwise GET /v1/events falls behind. */
@Readiness
@ApplicationScoped
public class EventLogReadinessCheck implements HealthCheck {

    private final EventLogConsumer consumer;

    EventLogReadinessCheck(EventLogConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return ConsumerReadiness.of("event-log-consumer", consumer.health());
    }
}
