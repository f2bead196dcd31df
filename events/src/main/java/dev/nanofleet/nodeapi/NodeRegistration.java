package dev.nanofleet.nodeapi;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.Map;
import java.util.Set;

/**
 * What a node offers when it registers: the capacity left for instances after the node's own reserve, the isolation
 * modes it can run, placement labels, the agent's version and where control-api reaches the agent's own API (instance
 * logs).
 */
public record NodeRegistration(Resources allocatable, Set<Isolation> isolations, Map<String, String> labels,
        String agentVersion, String agentUrl) {

    public NodeRegistration(Resources allocatable, Set<Isolation> isolations, Map<String, String> labels,
            String agentVersion) {
        this(allocatable, isolations, labels, agentVersion, null);
    }
}
