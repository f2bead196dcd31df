package dev.nanofleet.controlapi.node;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** The node gateway's settings. Env form: {@code NANOFLEET_NODE_API_AGENT_NETWORKS=10.20.0.0/16,fd00::/8}. */
@ConfigMapping(prefix = "nanofleet.node-api")
public interface NodeApiConfig {

    /**
     * Networks (CIDRs) an agent URL may point into besides the address its node registers from; checked at start-up by
     * {@link AgentUrlRulesProducer}. Empty by default: an agent must listen on the address it calls control-api from.
     */
    Optional<List<String>> agentNetworks();
}
