package dev.nanofleet.events;

import java.util.UUID;

/** The scheduler placed one replica on a node, in the given isolation mode. */
public record InstancePlaced(UUID instanceId, UUID deploymentId, String nodeName, Isolation isolation)
        implements
            EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
