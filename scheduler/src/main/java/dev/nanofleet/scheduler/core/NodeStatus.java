package dev.nanofleet.scheduler.core;

/** Whether a node takes new work. Only {@link #READY} does; the others say why not, for the explanation. */
public enum NodeStatus {
    /** Heartbeating and open for placements. */
    READY,
    /** An operator closed it to new work; what runs there stays. */
    CORDONED,
    /** Being emptied before maintenance: takes nothing new, its instances are moved away. */
    DRAINING,
    /** Stopped heartbeating past the grace period; its instances were re-placed elsewhere. */
    LOST
}
