package dev.nanofleet.scheduler.core;

/** How the scheduler chooses among nodes with the same score. Both are deterministic. */
public enum TieBreak {
    /** The node whose name sorts first. Predictable; concentrates ties on low names. */
    NAME,
    /**
     * A hash of the instance id and the node name: the same request always picks the same node, while different
     * instances spread over tied nodes (Nomad seeds its shuffle the same way).
     */
    SEEDED
}
