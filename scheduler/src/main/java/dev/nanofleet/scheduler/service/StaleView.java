package dev.nanofleet.scheduler.service;

import java.util.Set;
import java.util.UUID;

/**
 * The batch was planned on rows another scheduler changed meanwhile: thrown inside the batch's transaction so nothing
 * of it commits; the handler re-reads these rows (and the ones the batch touched) and plans the batch again.
 */
final class StaleView extends RuntimeException {

    private final Set<String> nodes;
    private final Set<UUID> replicas;

    StaleView(Set<String> nodes, Set<UUID> replicas, String why) {
        super(why + ": nodes " + nodes + ", replicas " + replicas.size(), null, false, false);
        this.nodes = Set.copyOf(nodes);
        this.replicas = Set.copyOf(replicas);
    }

    Set<String> nodes() {
        return nodes;
    }

    Set<UUID> replicas() {
        return replicas;
    }

    /** The stale view in the cause chain, or null. */
    static StaleView in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StaleView stale) {
                return stale;
            }
        }
        return null;
    }
}
