package dev.nanofleet.events;

/** Whether a node is alive, as control-api decides from the heartbeats it receives. */
public enum NodeLiveness {
    /** Heartbeats arrive: the node runs what it was given and may take more. */
    READY,
    /** Silent for longer than control-api's grace period: what it ran is placed elsewhere. */
    LOST
}
