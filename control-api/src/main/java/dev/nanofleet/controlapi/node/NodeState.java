package dev.nanofleet.controlapi.node;

/**
 * A node's liveness as control-api decides it where heartbeats arrive: READY while they come within the grace period,
 * NOT_READY after it, LOST once control-api marked it lost (its instances are placed elsewhere).
 */
public enum NodeState {
    READY, NOT_READY, LOST
}
