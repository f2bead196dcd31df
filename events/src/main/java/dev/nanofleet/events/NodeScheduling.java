package dev.nanofleet.events;

/** What an operator lets the scheduler do with a node. */
public enum NodeScheduling {
    /** Takes new replicas. */
    SCHEDULABLE,
    /** Keeps what runs; takes nothing new. */
    CORDONED,
    /** Takes nothing new; what runs there is placed elsewhere, then stops. */
    DRAINING
}
