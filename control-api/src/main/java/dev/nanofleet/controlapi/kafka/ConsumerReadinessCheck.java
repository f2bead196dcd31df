package dev.nanofleet.controlapi.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the instance-event consumer polls and makes progress: a dead or stuck consumer means instance
 * states no longer reach tenants, although the broker answers.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadinessCheck implements HealthCheck {

    private final Messaging messaging;

    ConsumerReadinessCheck(Messaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumer");
        return messaging.health().map(health -> {
            health.data().forEach(response::withData);
            return response.status(health.up()).build();
        }).orElseGet(() -> response.down().withData("state", "not started").build());
    }
}
