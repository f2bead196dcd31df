package dev.nanofleet.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the outbox relay and the event consumer run. The datasource check comes with the extension. */
@Readiness
@ApplicationScoped
class MessagingHealth implements HealthCheck {

    @Inject
    Messaging messaging;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("scheduler-messaging").status(messaging.started()).build();
    }
}
