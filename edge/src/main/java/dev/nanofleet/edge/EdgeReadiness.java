package dev.nanofleet.edge;

import dev.nanofleet.edge.core.RouteSync;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once HAProxy runs and has served the control plane's routes at least once. */
@Readiness
@ApplicationScoped
public class EdgeReadiness implements HealthCheck {

    private final EdgeService edge;

    EdgeReadiness(EdgeService edge) {
        this.edge = edge;
    }

    @Override
    public HealthCheckResponse call() {
        RouteSync.Status status = edge.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("edge routes")
                .status(edge.proxyRunning() && status != null && status.everApplied());
        if (status != null) {
            response.withData("hostnames", status.served().routes().size())
                    .withData("last pass", status.outcome().name());
            if (status.error() != null) {
                response.withData("error", status.error());
            }
        }
        return response.build();
    }
}
