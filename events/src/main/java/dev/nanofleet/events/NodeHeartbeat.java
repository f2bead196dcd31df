package dev.nanofleet.events;

/**
 * A node agent is alive. No longer published: control-api decides liveness where heartbeats arrive and publishes only
 * {@link NodeStatusChanged}. Kept so events already in a topic's retention still decode.
 */
public record NodeHeartbeat(String nodeName) implements EventPayload {

    @Override
    public String partitionKey() {
        return nodeName;
    }
}
