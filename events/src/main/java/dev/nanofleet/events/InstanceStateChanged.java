package dev.nanofleet.events;

import java.util.UUID;

/**
 * A node agent reported a new state for an instance it runs.
 *
 * <p>
 * Schema version 2 added {@code isolation} and {@code resources}, what the replica runs in and reserves, so billing can
 * meter a replica from its state changes alone. A version 1 event decodes with both null.
 *
 * @param reason why, in words, for FAILED and EXITED; may be null
 * @param exitCode the process's exit code once it ended; null before
 * @param isolation the mode the replica was placed in; null in version 1 events
 * @param resources what the replica's revision reserves; null in version 1 events
 */
public record InstanceStateChanged(UUID instanceId, UUID deploymentId, String nodeName, InstanceState state,
        String reason, Integer exitCode, Isolation isolation, Resources resources) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
