package dev.nanofleet.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The scheduler placed one replica on a node, in the given isolation mode.
 *
 * @param relayedAt when the deployment event that asked for the replica was published to Kafka (its record's
 *        timestamp), for the start timeline; null for a replica that waited or was moved, and in events of schedulers
 *        older than this field
 */
public record InstancePlaced(UUID instanceId, UUID deploymentId, String nodeName, Isolation isolation,
        Instant relayedAt)
        implements
            EventPayload {

    public InstancePlaced(UUID instanceId, UUID deploymentId, String nodeName, Isolation isolation) {
        this(instanceId, deploymentId, nodeName, isolation, null);
    }

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
