package dev.nanofleet.scheduler.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the event consumer polls and makes progress: a dead or stuck consumer places nothing although the
 * service answers. Up when messaging is disabled on purpose. The datasource check comes with the extension.
 */
@Readiness
@ApplicationScoped
class MessagingHealth implements HealthCheck {

    private final Messaging messaging;

    MessagingHealth(Messaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("scheduler-messaging");
        if (!messaging.enabled()) {
            return response.up().withData("state", "disabled").build();
        }
        return messaging.health().map(health -> {
            health.data().forEach(response::withData);
            return response.status(health.up()).build();
        }).orElseGet(() -> response.down().withData("state", "not started").build());
    }
}
