package dev.nanofleet.tenantbilling.service;

import dev.nanofleet.messaging.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the meter's consumer polls and makes progress: a stuck consumer would bill nothing. */
@Readiness
@ApplicationScoped
class MessagingHealth implements HealthCheck {

    private static final String NAME = "billing-messaging";

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
