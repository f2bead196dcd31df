package dev.nanofleet.events;

/** An operator cordoned, drained or uncordoned a node. */
public record NodeSchedulingChanged(String nodeName, NodeScheduling scheduling) implements EventPayload {

    @Override
    public String partitionKey() {
        return nodeName;
    }
}
