package dev.nanofleet.events;

import java.util.UUID;

/**
 * An exec session ended.
 *
 * @param exitCode the process' exit code; null when it did not end by itself (the client left, the node was lost)
 * @param reason how it ended in words when there is no exit code; may be null
 */
public record ExecSessionEnded(UUID sessionId, UUID instanceId, UUID deploymentId, Integer exitCode, String reason)
        implements
            EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
