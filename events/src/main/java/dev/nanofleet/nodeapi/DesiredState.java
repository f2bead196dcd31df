package dev.nanofleet.nodeapi;

/** What the control plane wants of an assigned instance. */
public enum DesiredState {
    RUNNING, STOPPED
}
