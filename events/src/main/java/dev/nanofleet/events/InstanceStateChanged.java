package dev.nanofleet.events;

import java.util.UUID;

/**
 * A node agent reported a new state for an instance it runs.
 *
 * @param reason why, in words, for FAILED and EXITED; may be null
 * @param exitCode the process's exit code once it ended; null before
 */
public record InstanceStateChanged(UUID instanceId, UUID deploymentId, String nodeName, InstanceState state,
        String reason, Integer exitCode) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
