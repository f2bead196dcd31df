package dev.nanofleet.events;

/** A node agent is alive. The scheduler marks a node lost when these stop for longer than its grace period. */
public record NodeHeartbeat(String nodeName) implements EventPayload {

    @Override
    public String partitionKey() {
        return nodeName;
    }
}
