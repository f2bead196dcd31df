package dev.nanofleet.controlapi.kafka;

import dev.nanofleet.messaging.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
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
        return ConsumerReadiness.of("kafka-consumer", messaging.health());
    }
}
