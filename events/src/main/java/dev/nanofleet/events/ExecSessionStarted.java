package dev.nanofleet.events;

import java.util.List;
import java.util.UUID;

/**
 * Someone opened an exec session in an instance. Who is the event's actor.
 *
 * @param command the program and its arguments as asked for
 */
public record ExecSessionStarted(UUID sessionId, UUID instanceId, UUID deploymentId, String nodeName,
        List<String> command, boolean tty, boolean stdin) implements EventPayload {

    @Override
    public String partitionKey() {
        return deploymentId.toString();
    }
}
