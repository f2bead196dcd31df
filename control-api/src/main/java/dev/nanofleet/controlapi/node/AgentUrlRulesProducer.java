package dev.nanofleet.controlapi.node;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The configured {@link AgentUrlRules}; a bad CIDR stops start-up naming it. */
@ApplicationScoped
class AgentUrlRulesProducer {

    @Produces
    @Startup
    @Singleton // AgentUrlRules is final and immutable: no client proxy needed
    AgentUrlRules agentUrlRules(NodeApiConfig config) {
        return new AgentUrlRules(config.agentNetworks().orElse(List.of()));
    }
}
