package dev.nanofleet.node.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Liveness: the process answers. Readiness: registered with control-api. */
public class AgentHealth {

    @Liveness
    @ApplicationScoped
    public static class Alive implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("node-agent");
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Registered implements HealthCheck {
        private final NodeAgent agent;

        public Registered(NodeAgent agent) {
            this.agent = agent;
        }

        @Override
        public HealthCheckResponse call() {
            var builder = HealthCheckResponse.named("registered-with-control-api").status(agent.registered());
            if (agent.ociRuntime() != null) {
                builder.withData("ociRuntime", agent.ociRuntime());
            }
            if (!agent.registered() && agent.registrationError() != null) {
                builder.withData("reason", agent.registrationError());
            }
            return builder.build();
        }
    }
}
