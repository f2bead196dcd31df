package dev.nanofleet.scheduler.service;

import dev.nanofleet.messaging.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the event consumer polls and makes progress: a dead or stuck consumer places nothing although the
 * service answers. Up when messaging is disabled on purpose. The datasource check comes with the extension.
 */
@Readiness
@ApplicationScoped
class MessagingHealth implements HealthCheck {

    private static final String NAME = "scheduler-messaging";

    private final Messaging messaging;

    MessagingHealth(Messaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public HealthCheckResponse call() {
        if (!messaging.enabled()) {
            return HealthCheckResponse.named(NAME).up().withData("state", "disabled").build();
        }
        return ConsumerReadiness.of(NAME, messaging.health());
    }
}
