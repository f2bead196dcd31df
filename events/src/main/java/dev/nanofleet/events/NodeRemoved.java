package dev.nanofleet.events;

/**
 * An operator removed the node from the fleet ({@code DELETE /v1/nodes/{name}}): its credential is revoked and it
 * runs nothing from now on. Consumers forget it (the scheduler drops it from its fleet view, so it no longer counts
 * among the nodes an unschedulable replica names); the same name may enroll again later, as a new node.
 *
 * @param reason why, in words (e.g. "removed by ops")
 */
public record NodeRemoved(String nodeName, String reason) implements EventPayload {

    @Override
    public String partitionKey() {
        return nodeName;
    }
}
