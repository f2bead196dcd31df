package dev.nanofleet.messaging;

import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** The one readiness answer every service gives for its event consumer. */
public final class ConsumerReadiness {

    private ConsumerReadiness() {
    }

    /**
     * UP only while the consumer polls and makes progress, with its details; DOWN with {@code state=not started} while
     * messaging has not started yet (a service that cannot consume is not ready, although it answers).
     */
    public static HealthCheckResponse of(String checkName, Optional<ConsumerHealth> health) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(checkName);
        return health.map(h -> {
            h.data().forEach(response::withData);
            return response.status(h.up()).build();
        }).orElseGet(() -> response.down().withData("state", "not started").build());
    }
}
