package dev.nanofleet.events;

import java.util.UUID;

/**
 * A node reported a new health for an instance it runs.
 *
 * @param reason the last check's outcome in words when it failed (e.g. {@code HTTP 500 from /healthz}); may be null
 */
public record InstanceHealthChanged(UUID instanceId, UUID deploymentId, String nodeName, InstanceHealth health,
        String reason) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
