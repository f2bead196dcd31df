package dev.nanofleet.events;

/** What a replica's health check says, beside its state. A replica without a health check has none. */
public enum InstanceHealth {
    /** Within its start period, or no check has passed yet. */
    STARTING,
    HEALTHY,
    /** The check failed as many times in a row as its failure threshold. */
    UNHEALTHY
}
