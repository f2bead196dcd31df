package dev.nanofleet.events;

import java.util.Map;
import java.util.Set;

/**
 * A node agent registered (or re-registered after a restart) with what it can give to instances.
 *
 * @param isolations the isolation modes this node can run
 * @param labels free-form placement labels, e.g. {@code zone=a}
 */
public record NodeRegistered(String nodeName, Resources allocatable, Set<Isolation> isolations,
        Map<String, String> labels) implements EventPayload {

    @Override
    public String partitionKey() {
        return nodeName;
    }
}
